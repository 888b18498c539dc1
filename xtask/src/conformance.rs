//! Schemathesis (from `PyPI`, in a virtualenv under `target/`) against the release server's own
//! `OpenAPI` document: generated requests for every operation, as an admin's API key. No answer
//! may be a 5xx, and every answer must match the document.

use crate::cmd::{self, root, step, Result};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

const SCHEMATHESIS: &str = "schemathesis==4.32.5";
/// Its test-case generator, pinned too: the version a green run used, so a new release on `PyPI`
/// cannot change what the conformance step generates (or break it) between two runs.
const HYPOTHESIS: &str = "hypothesis==6.170.27";

/// Operations left out, because they would take away the run's own credentials (revoking its
/// key, demoting or resetting its admin) or sign in and out: the HTTP tests cover them.
const EXCLUDED: &str = "/auth/|/api-keys/|/users/\\{id\\}|/me/password";

pub fn schemathesis() -> Result {
    step("API conformance (schemathesis against /api/v1/openapi.json)");
    let st = ensure_schemathesis()?;
    let bin = root().join("target/release/fieldwork").to_string_lossy().into_owned();
    let dir = std::env::temp_dir().join(format!("fieldwork-conformance-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
    let env = [
        ("DATABASE_URL", format!("sqlite://{}", dir.join("fieldwork.db").display())),
        ("FIELDWORK_ADDR", format!("127.0.0.1:{port}")),
        ("FIELDWORK_MAIL_DIR", dir.join("mail").display().to_string()),
        ("FIELDWORK_PHOTO_DIR", dir.join("photos").display().to_string()),
        ("FIELDWORK_JOBS_INTERVAL_MS", "0".into()),
        ("FIELDWORK_FORM_RATE", "1000000".into()),
        ("FIELDWORK_LOG", "warn".into()),
    ];
    let with_env = |args: &[&str]| {
        let mut c = cmd::command(&bin, args);
        c.envs(env.iter().map(|(k, v)| (*k, v.as_str())));
        c
    };
    let seeded = with_env(&["seed", "--demo"]).stdout(Stdio::null()).status().map_err(|e| e.to_string())?;
    if !seeded.success() {
        return Err("seeding the demo for the conformance run failed".into());
    }
    let key = with_env(&["key", "add", "--email", "admin@fieldwork.demo", "--name", "schemathesis"])
        .output()
        .map_err(|e| e.to_string())?;
    let key = String::from_utf8_lossy(&key.stdout).trim().to_string();
    if !key.starts_with("fwk_") {
        return Err("could not create an API key for the conformance run".into());
    }
    let server =
        Server(with_env(&["serve"]).stdout(Stdio::null()).spawn().map_err(|e| format!("starting {bin}: {e}"))?);
    wait_for(port)?;
    let base = format!("http://127.0.0.1:{port}");
    let auth = format!("Authorization: Bearer {key}");
    let result = cmd::run(
        &st,
        &[
            "run",
            &format!("{base}/api/v1/openapi.json"),
            "--url",
            &base,
            "-H",
            &auth,
            "--checks",
            "not_a_server_error,response_schema_conformance",
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            "10",
            // One worker: with two, hypothesis describes strategies from two threads at once and
            // CPython 3.11's `ast` module trips over its shared recursion counter ("AST
            // constructor recursion depth mismatch", CPython gh-106905), failing the run at random.
            "--workers",
            "1",
            "--seed",
            "2026",
            "--no-color",
            "--exclude-path-regex",
            EXCLUDED,
        ],
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// `target/schemathesis/bin/st`, installed from `PyPI` into its own virtualenv when missing.
fn ensure_schemathesis() -> Result<String> {
    let venv = root().join("target/schemathesis");
    let st = venv.join("bin/st");
    // Named after both pins, so a virtualenv from before a pin changed is brought up to it.
    let marker = venv.join(format!("{SCHEMATHESIS}+{HYPOTHESIS}"));
    if st.exists() && marker.exists() {
        return Ok(st.to_string_lossy().into_owned());
    }
    step(&format!("installing {SCHEMATHESIS} from PyPI into target/schemathesis"));
    let venv_str = venv.to_string_lossy().into_owned();
    cmd::run("python3", &["-m", "venv", &venv_str]).map_err(|e| format!("{e} (install python3 and python3-venv)"))?;
    cmd::run(&venv.join("bin/pip").to_string_lossy(), &["install", "--quiet", SCHEMATHESIS, HYPOTHESIS])?;
    std::fs::write(&marker, "").map_err(|e| e.to_string())?;
    Ok(st.to_string_lossy().into_owned())
}

fn wait_for(port: u16) -> Result {
    let started = Instant::now();
    while started.elapsed() < Duration::from_mins(1) {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!("the server did not listen on port {port} within a minute"))
}

/// The server process, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
