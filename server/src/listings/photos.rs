//! Listing photos on disk: checked by their bytes (JPEG, PNG or WebP — never by file name),
//! decoded once with limits (a decompression bomb is refused, not allocated), turned upright by
//! their EXIF orientation, and kept as the original plus two JPEG copies: `large` for the
//! gallery and `thumb` for cards and lists.
//!
//! Files live under the photo folder as `{listing}/{photo}.{ext}` (the original, as uploaded),
//! `{listing}/{photo}.large.jpg` and `{listing}/{photo}.thumb.jpg`.

use fieldwork_app::common::{ListingId, PhotoId};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// The long edge of the gallery copy, in pixels.
pub const LARGE_EDGE: u32 = 1600;
/// The long edge of the list copy.
pub const THUMB_EDGE: u32 = 480;
/// Pictures beyond this many pixels on an edge are refused (a phone camera makes ~8,000).
const MAX_EDGE: u32 = 12_000;
/// Most photos a listing keeps.
pub const MAX_PER_LISTING: i64 = 40;

/// The sizes a photo is served in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Size {
    Thumb,
    Large,
    Original,
}

/// Why an upload is not a photo we keep; the message goes to the user as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoError {
    NotAnImage,
    TooLarge { max_mb: usize },
    TooManyPixels,
    Unreadable,
}

impl PhotoError {
    pub fn message(&self) -> String {
        match self {
            Self::NotAnImage => "is not a JPEG, PNG or WebP image".into(),
            Self::TooLarge { max_mb } => format!("must be at most {max_mb} MB"),
            Self::TooManyPixels => format!("must be at most {MAX_EDGE} pixels on each side"),
            Self::Unreadable => "could not be read as an image; it may be damaged".into(),
        }
    }
}

/// A checked photo, ready to be written.
pub struct Processed {
    pub content_type: &'static str,
    pub extension: &'static str,
    pub width: u32,
    pub height: u32,
    pub large: Vec<u8>,
    pub thumb: Vec<u8>,
}

/// The format of `bytes` by their content, when it is one we keep.
pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    match image::guess_format(bytes) {
        Ok(f @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => Some(f),
        _ => None,
    }
}

/// Checks and decodes an upload and makes its two copies. CPU-heavy: run it off the async
/// threads (`spawn_blocking`).
pub fn process(bytes: &[u8], max_bytes: usize) -> Result<Processed, PhotoError> {
    if bytes.len() > max_bytes {
        return Err(PhotoError::TooLarge { max_mb: max_bytes / (1024 * 1024) });
    }
    let format = sniff(bytes).ok_or(PhotoError::NotAnImage)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_EDGE);
    limits.max_image_height = Some(MAX_EDGE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| decode_error(&e))?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|e| decode_error(&e))?;
    picture.apply_orientation(orientation);
    let (content_type, extension) = match format {
        ImageFormat::Png => ("image/png", "png"),
        ImageFormat::WebP => ("image/webp", "webp"),
        _ => ("image/jpeg", "jpg"),
    };
    Ok(Processed {
        content_type,
        extension,
        width: picture.width(),
        height: picture.height(),
        large: jpeg(&picture, LARGE_EDGE, 82)?,
        thumb: jpeg(&picture, THUMB_EDGE, 78)?,
    })
}

fn decode_error(e: &image::ImageError) -> PhotoError {
    match e {
        image::ImageError::Limits(_) => PhotoError::TooManyPixels,
        _ => PhotoError::Unreadable,
    }
}

/// A JPEG no larger than `edge` on its long side (never enlarged).
fn jpeg(picture: &DynamicImage, edge: u32, quality: u8) -> Result<Vec<u8>, PhotoError> {
    let scaled = if picture.width().max(picture.height()) > edge {
        picture.resize(edge, edge, image::imageops::FilterType::Triangle)
    } else {
        picture.clone()
    };
    let rgb = scaled.to_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&rgb)
        .map_err(|_| PhotoError::Unreadable)?;
    Ok(out)
}

/// The stored path (relative to the photo folder) of a photo's original.
pub fn original_path(listing: ListingId, photo: PhotoId, extension: &str) -> String {
    format!("{listing}/{photo}.{extension}")
}

/// The file holding `size` of the photo stored at `original` (relative path).
pub fn file_for(dir: &Path, original: &str, size: Size) -> PathBuf {
    let stem = original.rsplit_once('.').map_or(original, |(stem, _)| stem);
    match size {
        Size::Original => dir.join(original),
        Size::Large => dir.join(format!("{stem}.large.jpg")),
        Size::Thumb => dir.join(format!("{stem}.thumb.jpg")),
    }
}

/// Writes the original and its copies; on failure nothing is left half-written.
pub async fn save(dir: &Path, original: &str, bytes: &[u8], processed: &Processed) -> std::io::Result<()> {
    let target = dir.join(original);
    if let Some(parent) = target.parent() {
        tokio::fs::create_dir_all(parent).await?;
    }
    let files = [
        (target, bytes),
        (file_for(dir, original, Size::Large), processed.large.as_slice()),
        (file_for(dir, original, Size::Thumb), processed.thumb.as_slice()),
    ];
    for (path, data) in &files {
        // Written beside and renamed into place, so a reader never sees half a file.
        let partial = path.with_extension("partial");
        let written = async {
            tokio::fs::write(&partial, data).await?;
            tokio::fs::rename(&partial, path).await
        }
        .await;
        if let Err(e) = written {
            remove(dir, original).await;
            let _ = tokio::fs::remove_file(&partial).await;
            return Err(e);
        }
    }
    Ok(())
}

/// Removes a photo's files (missing files are fine).
pub async fn remove(dir: &Path, original: &str) {
    for size in [Size::Original, Size::Large, Size::Thumb] {
        let _ = tokio::fs::remove_file(file_for(dir, original, size)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let picture = DynamicImage::new_rgb8(width, height);
        let mut out = Cursor::new(Vec::new());
        picture.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_photo_is_known_by_its_bytes_not_its_name() {
        assert_eq!(sniff(&png(4, 4)), Some(ImageFormat::Png));
        assert_eq!(sniff(b"%PDF-1.7 not a photo"), None);
        assert_eq!(process(b"GIF89a....", 1 << 20).err(), Some(PhotoError::NotAnImage));
    }

    #[test]
    fn copies_are_scaled_down_never_up() {
        let big = process(&png(2400, 1200), 1 << 24).unwrap();
        assert_eq!((big.width, big.height), (2400, 1200));
        let thumb = image::load_from_memory(&big.thumb).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (480, 240));
        let small = process(&png(100, 50), 1 << 24).unwrap();
        let large = image::load_from_memory(&small.large).unwrap();
        assert_eq!((large.width(), large.height()), (100, 50));
    }

    #[test]
    fn too_big_or_damaged_uploads_are_refused() {
        assert_eq!(process(&png(10, 10), 10).err(), Some(PhotoError::TooLarge { max_mb: 0 }));
        let mut broken = png(64, 64);
        broken.truncate(60);
        assert_eq!(process(&broken, 1 << 20).err(), Some(PhotoError::Unreadable));
    }

    #[test]
    fn sizes_live_beside_the_original() {
        let dir = Path::new("/photos");
        assert_eq!(file_for(dir, "l/p.png", Size::Thumb), Path::new("/photos/l/p.thumb.jpg"));
        assert_eq!(file_for(dir, "l/p.png", Size::Original), Path::new("/photos/l/p.png"));
    }
}
