/// `window.confirm`, the browser's own accessible confirmation dialog.
pub fn confirm(message: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window().and_then(|w| w.confirm_with_message(message).ok()).unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = message;
        false
    }
}

/// `window.prompt`: the browser's own dialog asking for one line of text; None when cancelled.
pub fn prompt(message: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window().and_then(|w| w.prompt_with_message(message).ok().flatten())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = message;
        None
    }
}
