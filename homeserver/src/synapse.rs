//! Synapse, set up by code: installed (pinned) into a virtualenv under the cargo target folder,
//! configured in a throwaway folder, started on a free port of 127.0.0.1, waited for, and
//! stopped when dropped.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::io::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::{Client, Error};

/// The Synapse release the tests run against (PyPI's `matrix-synapse`). Its dependencies are
/// whatever pip resolves for it on the day the virtualenv is made.
pub const SYNAPSE_VERSION: &str = "1.163.2";

/// The oldest Python that release supports (its `Requires-Python`).
const MIN_PYTHON: (u32, u32) = (3, 10);

/// The server name of the users and rooms (`@alice:localhost`); no other server is ever asked
/// about it, as federation is off.
const SERVER_NAME: &str = "localhost";

/// The file in the virtualenv that says which version was installed there, written once pip
/// has installed it and Python has imported it.
const MARKER: &str = "matrix-types-synapse-version";

/// How long the server may take to answer `GET /_matrix/client/versions`.
const READY_TIMEOUT: Duration = Duration::from_secs(90);

/// How long the server may take to stop on `SIGTERM` before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// With this variable set (to anything), the server's folder (configuration, database, log)
/// is kept when it stops, and its place printed.
const KEEP_VAR: &str = "HOMESERVER_KEEP";

/// Where Synapse was installed, whether an existing installation was reused, and how long
/// making sure of it took.
#[derive(Debug, Clone)]
pub struct Install {
    pub venv: PathBuf,
    pub reused: bool,
    pub took: Duration,
}

/// A running Synapse, stopped (its process group: `SIGTERM`, then `SIGKILL`) and its folder
/// removed when dropped, on a panic too. On Linux the server is also told to stop when the
/// thread that started it ends (`PR_SET_PDEATHSIG`), so that a test killed outright leaves
/// no server behind: keep it on the thread that started it.
pub struct Synapse {
    child: Child,
    dir: PathBuf,
    base_url: String,
    install: Install,
    started_in: Duration,
}

/// `target/homeserver/venv` in the cargo target folder of the running program (the folder
/// above it that holds cargo's `CACHEDIR.TAG`), else of the workspace.
pub fn default_venv_dir() -> PathBuf {
    target_dir().join("homeserver").join("venv")
}

fn target_dir() -> PathBuf {
    if let Ok(exe) = std::env::current_exe() {
        if let Some(dir) = exe
            .ancestors()
            .skip(1)
            .find(|dir| dir.join("CACHEDIR.TAG").is_file())
        {
            return dir.to_owned();
        }
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("homeserver/ sits in the workspace");
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => workspace.join(dir),
        _ => workspace.join("target"),
    }
}

impl Install {
    /// Makes sure that `venv` holds Synapse [`SYNAPSE_VERSION`]: reused when its marker and
    /// the version Python imports say so, else made anew (`python3 -m venv --clear`, then
    /// pip). Concurrent callers wait for each other (a lock file beside `venv`).
    pub fn ensure(venv: &Path) -> Result<Install, Error> {
        Self::ensure_with(venv, "python3")
    }

    /// [`Install::ensure`], making a virtualenv with the Python program `python` (a name
    /// looked up in `PATH`, or a path).
    pub fn ensure_with(venv: &Path, python: &str) -> Result<Install, Error> {
        let started = Instant::now();
        let parent = venv.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(parent)
            .map_err(|err| Error::new(format!("{}: {err}", parent.display())))?;
        let _lock = Lock::acquire(&parent.join("install.lock"))?;
        if installed_version(venv).as_deref() == Some(SYNAPSE_VERSION) {
            return Ok(Install {
                venv: venv.to_owned(),
                reused: true,
                took: started.elapsed(),
            });
        }
        eprintln!(
            "installing matrix-synapse {SYNAPSE_VERSION} from PyPI into {} (once; a minute or two)",
            venv.display()
        );
        check_python(python)?;
        let created = run(Command::new(python)
            .args(["-m", "venv", "--clear"])
            .arg(venv))?;
        if !created.status.success() {
            return Err(Error::new(format!(
                "`{python} -m venv {}` failed: the venv module (and its ensurepip) is needed \
                 (Debian, Ubuntu: `apt-get install python3-venv`):\n{}",
                venv.display(),
                String::from_utf8_lossy(&created.stderr)
            )));
        }
        let python = venv_python(venv);
        let pip = run(Command::new(&python).args(["-m", "pip", "--version"]))?;
        if !pip.status.success() {
            return Err(Error::new(format!(
                "the new virtualenv has no pip (Debian, Ubuntu: `apt-get install python3-venv \
                 python3-pip`):\n{}",
                String::from_utf8_lossy(&pip.stderr)
            )));
        }
        let log_path = parent.join("pip.log");
        let log = File::create(&log_path)
            .map_err(|err| Error::new(format!("{}: {err}", log_path.display())))?;
        let installed = run(Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--no-input",
                "--progress-bar",
                "off",
            ])
            .arg(format!("matrix-synapse=={SYNAPSE_VERSION}"))
            .stdout(log.try_clone().map_err(|err| Error::new(err.to_string()))?)
            .stderr(log))?;
        if !installed.status.success() {
            return Err(Error::new(format!(
                "pip could not install matrix-synapse {SYNAPSE_VERSION} ({}); the end of {}:\n{}",
                installed.status,
                log_path.display(),
                tail(&read_lossy(&log_path), 40)
            )));
        }
        let imported = run(Command::new(&python).args(["-c", IMPORT_VERSION]))?;
        let version = String::from_utf8_lossy(&imported.stdout).trim().to_owned();
        if !imported.status.success() || version != SYNAPSE_VERSION {
            return Err(Error::new(format!(
                "Synapse was installed but Python imports version {version:?}:\n{}",
                String::from_utf8_lossy(&imported.stderr)
            )));
        }
        fs::write(venv.join(MARKER), SYNAPSE_VERSION)
            .map_err(|err| Error::new(format!("{}: {err}", venv.display())))?;
        Ok(Install {
            venv: venv.to_owned(),
            reused: false,
            took: started.elapsed(),
        })
    }
}

/// The installed distribution's version, as pip recorded it (`synapse.__version__` adds git
/// details when the virtualenv sits in a git checkout, as `target/` does), once Synapse imports.
const IMPORT_VERSION: &str =
    "import importlib.metadata, synapse; print(importlib.metadata.version('matrix-synapse'))";

/// The version the marker and Python agree on, if they do.
fn installed_version(venv: &Path) -> Option<String> {
    let marker = fs::read_to_string(venv.join(MARKER)).ok()?;
    let imported = Command::new(venv_python(venv))
        .args(["-c", IMPORT_VERSION])
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let version = String::from_utf8_lossy(&imported.stdout).trim().to_owned();
    (imported.status.success() && version == marker.trim()).then_some(version)
}

fn venv_python(venv: &Path) -> PathBuf {
    venv.join("bin").join("python")
}

/// `python` is there and recent enough.
fn check_python(python: &str) -> Result<(), Error> {
    let install = format!(
        "install Python {}.{} or newer with its venv module and pip (Debian, Ubuntu: \
         `apt-get install python3 python3-venv python3-pip`)",
        MIN_PYTHON.0, MIN_PYTHON.1
    );
    let output = Command::new(python)
        .args(["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
        .stdin(Stdio::null())
        .output()
        .map_err(|err| {
            Error::new(format!(
                "`{python}` could not be run ({err}): the homeserver tests install Synapse \
                 with it; {install}"
            ))
        })?;
    let text = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let version = text
        .split_once('.')
        .and_then(|(major, minor)| Some((major.parse::<u32>().ok()?, minor.parse::<u32>().ok()?)));
    match version {
        Some(version) if output.status.success() && version >= MIN_PYTHON => Ok(()),
        _ => Err(Error::new(format!(
            "`{python}` is version {text:?}; Synapse {SYNAPSE_VERSION} needs {}.{} or newer: {install}",
            MIN_PYTHON.0, MIN_PYTHON.1
        ))),
    }
}

/// Runs a command to its end, with nothing on its standard input.
fn run(command: &mut Command) -> Result<Output, Error> {
    command
        .stdin(Stdio::null())
        .output()
        .map_err(|err| Error::new(format!("{command:?} could not be run: {err}")))
}

/// An exclusive `flock` on a file, released when dropped (the file is closed).
struct Lock(#[allow(dead_code)] File);

impl Lock {
    fn acquire(path: &Path) -> Result<Lock, Error> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(|err| Error::new(format!("{}: {err}", path.display())))?;
        // SAFETY: `flock` on a descriptor this function owns; no memory is shared.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
            let err = io::Error::last_os_error();
            return Err(Error::new(format!("locking {}: {err}", path.display())));
        }
        Ok(Lock(file))
    }
}

/// Why a start failed: the port was taken meanwhile (worth another), or anything else.
enum Failed {
    PortTaken(Error),
    Other(Error),
}

impl Synapse {
    /// Installs Synapse in [`default_venv_dir`] (or reuses it) and starts it.
    pub fn start() -> Result<Synapse, Error> {
        Self::start_in(&default_venv_dir())
    }

    /// Installs Synapse in `venv` (or reuses it) and starts it.
    pub fn start_in(venv: &Path) -> Result<Synapse, Error> {
        let install = Install::ensure(venv)?;
        let mut tries = 0;
        loop {
            tries += 1;
            match Self::launch(&install) {
                Ok(server) => return Ok(server),
                Err(Failed::PortTaken(err)) if tries < 3 => {
                    eprintln!("{err}; another port");
                }
                Err(Failed::PortTaken(err) | Failed::Other(err)) => return Err(err),
            }
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The server name in its user and room IDs.
    pub fn server_name(&self) -> &str {
        SERVER_NAME
    }

    pub fn install(&self) -> &Install {
        &self.install
    }

    /// From starting the process to its first answer.
    pub fn started_in(&self) -> Duration {
        self.started_in
    }

    /// The server's log so far (its standard output and error).
    pub fn log(&self) -> String {
        read_lossy(&self.dir.join(LOG))
    }

    /// The last `lines` lines of [`Synapse::log`].
    pub fn log_tail(&self, lines: usize) -> String {
        tail(&self.log(), lines)
    }

    fn launch(install: &Install) -> Result<Synapse, Failed> {
        static SERVERS: AtomicUsize = AtomicUsize::new(0);
        let started = Instant::now();
        let other = |err: String| Failed::Other(Error::new(err));
        remove_stale_folders();
        let dir = std::env::temp_dir().join(format!(
            "{FOLDER_PREFIX}{}-{}",
            std::process::id(),
            SERVERS.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).map_err(|err| other(format!("{}: {err}", dir.display())))?;
        let port = free_port().map_err(|err| other(format!("no free port on 127.0.0.1: {err}")))?;
        let base_url = format!("http://127.0.0.1:{port}");
        write_files(&dir, port).map_err(|err| other(format!("{}: {err}", dir.display())))?;
        let log = File::create(dir.join(LOG)).map_err(|err| other(err.to_string()))?;
        let mut command = Command::new(venv_python(&install.venv));
        command
            .args(["-m", "synapse.app.homeserver", "--config-path"])
            .arg(dir.join(CONFIG))
            .current_dir(&dir)
            .env_remove("PYTHONPATH")
            .env_remove("PYTHONHOME")
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|err| other(err.to_string()))?)
            .stderr(log)
            // A group of its own, signalled as a whole when stopped.
            .process_group(0);
        #[cfg(target_os = "linux")]
        // SAFETY: between fork and exec only `prctl` is called, which is async-signal-safe.
        unsafe {
            command.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM as libc::c_ulong) == -1 {
                    return Err(io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command.spawn().map_err(|err| {
            let _ = fs::remove_dir_all(&dir);
            other(format!("{command:?} could not be started: {err}"))
        })?;
        // From here on, dropping `server` stops the process and removes the folder.
        let mut server = Synapse {
            child,
            dir,
            base_url,
            install: install.clone(),
            started_in: Duration::ZERO,
        };
        server.wait_until_ready()?;
        server.started_in = started.elapsed();
        Ok(server)
    }

    /// Asks `GET /_matrix/client/versions` until it answers 200.
    fn wait_until_ready(&mut self) -> Result<(), Failed> {
        let client = Client::new(&self.base_url).map_err(Failed::Other)?;
        let versions = format!("{}/_matrix/client/versions", self.base_url);
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            match self.child.try_wait() {
                Ok(None) => {}
                Ok(Some(status)) => {
                    let log = self.log();
                    let message = format!(
                        "Synapse exited ({status}) before answering; its log:\n{}",
                        tail(&log, 60)
                    );
                    return Err(if log.contains("Address already in use") {
                        Failed::PortTaken(Error::new(message))
                    } else {
                        Failed::Other(Error::new(message))
                    });
                }
                Err(err) => return Err(Failed::Other(Error::new(err.to_string()))),
            }
            let request = http::Request::get(&versions)
                .body(Vec::new())
                .expect("a valid request");
            if let Ok(response) = client.send(request) {
                if response.status() == 200 {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                return Err(Failed::Other(Error::new(format!(
                    "Synapse did not answer {versions} within {} s; its log:\n{}",
                    READY_TIMEOUT.as_secs(),
                    self.log_tail(60)
                ))));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Synapse {
    fn drop(&mut self) {
        let group = self.child.id() as libc::pid_t;
        if let Ok(None) = self.child.try_wait() {
            // SAFETY: signals the process group this value started, whose leader has not
            // been reaped (so the group id is still its own).
            unsafe { libc::kill(-group, libc::SIGTERM) };
            let deadline = Instant::now() + STOP_TIMEOUT;
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            if let Ok(None) = self.child.try_wait() {
                // SAFETY: as above.
                unsafe { libc::kill(-group, libc::SIGKILL) };
                let _ = self.child.wait();
            }
        }
        if std::env::var_os(KEEP_VAR).is_some() {
            eprintln!("Synapse's folder is kept: {}", self.dir.display());
        } else {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// The start of the name of a server's folder in the temporary folder, followed by the ID of
/// the process that started it.
const FOLDER_PREFIX: &str = "matrix-types-synapse-";

/// Removes the folders of servers whose process is gone without removing them (killed
/// outright: its server stopped with it, as `PR_SET_PDEATHSIG` asks).
fn remove_stale_folders() {
    let Ok(entries) = fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(FOLDER_PREFIX)
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<libc::pid_t>().ok())
        else {
            continue;
        };
        // SAFETY: signal 0 only asks whether the process exists.
        let gone = unsafe { libc::kill(pid, 0) } == -1
            && io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH);
        if gone && pid != std::process::id() as libc::pid_t {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

const CONFIG: &str = "homeserver.yaml";
const LOG: &str = "homeserver.log";
const SIGNING_KEY: &str = "signing.key";

/// A port of 127.0.0.1 that was free a moment ago.
fn free_port() -> io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// The configuration and the signing key of a server in `dir` listening on `port`.
fn write_files(dir: &Path, port: u16) -> io::Result<()> {
    let path = |name: &str| {
        serde_json::to_string(&dir.join(name).to_string_lossy()).expect("a string is JSON")
    };
    let mut random = File::open("/dev/urandom")?;
    let mut secret = || -> io::Result<String> {
        let mut bytes = [0u8; 32];
        random.read_exact(&mut bytes)?;
        Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
    };
    let (macaroon, form, shared, turn) = (secret()?, secret()?, secret()?, secret()?);
    let key_id = secret()?[..6].to_owned();
    let mut seed = [0u8; 32];
    File::open("/dev/urandom")?.read_exact(&mut seed)?;
    // The format of Synapse's (signedjson's) key files: algorithm, version, unpadded base64
    // of the ed25519 seed.
    fs::write(
        dir.join(SIGNING_KEY),
        format!("ed25519 a_{key_id} {}\n", base64_unpadded(&seed)),
    )?;
    let limit = "{per_second: 1000, burst_count: 1000}";
    let config = format!(
        r#"# A throwaway Synapse for the tests of matrix-types: one client listener on 127.0.0.1,
# SQLite, federation off, registration open without verification, rate limits out of the way.
server_name: "{SERVER_NAME}"
public_baseurl: "http://127.0.0.1:{port}/"
listeners:
  - port: {port}
    bind_addresses: ["127.0.0.1"]
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
database:
  name: sqlite3
  args:
    database: {database}
media_store_path: {media}
signing_key_path: {signing_key}
macaroon_secret_key: "{macaroon}"
form_secret: "{form}"
registration_shared_secret: "{shared}"
report_stats: false
enable_metrics: false
enable_registration: true
enable_registration_without_verification: true
url_preview_enabled: false
# No federation: no other server is trusted, asked or allowed.
trusted_key_servers: []
suppress_key_server_warning: true
federation_domain_whitelist: []
rc_message: {limit}
rc_registration: {limit}
rc_registration_token_validity: {limit}
rc_login:
  address: {limit}
  account: {limit}
  failed_attempts: {limit}
rc_admin_redaction: {limit}
rc_joins:
  local: {limit}
  remote: {limit}
rc_joins_per_room: {limit}
rc_key_requests: {limit}
rc_3pid_validation: {limit}
rc_invites:
  per_room: {limit}
  per_user: {limit}
  per_issuer: {limit}
rc_third_party_invite: {limit}
rc_media_create: {limit}
rc_presence:
  per_user: {limit}
rc_delayed_event_mgmt: {limit}
rc_room_creation: {limit}
rc_reports: {limit}
rc_user_directory: {limit}
# What the scenario exercises beyond the defaults: login tokens made by a logged-in session,
# a TURN server to hand out (never contacted: it only names 127.0.0.1), publishing rooms in
# the directory (by default only admins may), searching all users, and long timelines.
login_via_existing_session:
  enabled: true
  require_ui_auth: true
turn_uris: ["turn:127.0.0.1:3478?transport=udp"]
turn_shared_secret: "{turn}"
room_list_publication_rules:
  - action: allow
# No cap on a `/sync` timeline's `limit` (100 by default): the benchmark's corpus asks for
# every event of a room of thousands in one initial sync.
filter_timeline_limit: -1
user_directory:
  enabled: true
  search_all_users: true
"#,
        database = path("homeserver.db"),
        media = path("media_store"),
        signing_key = path(SIGNING_KEY),
    );
    fs::write(dir.join(CONFIG), config)
}

/// Base64 (standard alphabet) without padding.
fn base64_unpadded(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, byte)| n | u32::from(*byte) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

fn read_lossy(path: &Path) -> String {
    fs::read(path)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_else(|err| format!("({}: {err})", path.display()))
}

/// The last `lines` lines of `text`.
fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_without_padding() {
        assert_eq!(base64_unpadded(b""), "");
        assert_eq!(base64_unpadded(b"f"), "Zg");
        assert_eq!(base64_unpadded(b"fo"), "Zm8");
        assert_eq!(base64_unpadded(b"foo"), "Zm9v");
        assert_eq!(base64_unpadded(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64_unpadded(&[0xff; 32]).len(), 43);
    }

    #[test]
    fn without_python_the_install_fails_saying_what_to_install() {
        let dir = std::env::temp_dir().join(format!("homeserver-no-python-{}", std::process::id()));
        let err = Install::ensure_with(&dir.join("venv"), "no-such-python3").unwrap_err();
        let _ = fs::remove_dir_all(&dir);
        assert!(
            err.0.contains("`no-such-python3` could not be run"),
            "{err}"
        );
        assert!(
            err.0
                .contains("apt-get install python3 python3-venv python3-pip"),
            "{err}"
        );
    }

    #[test]
    fn the_tail_of_a_text() {
        assert_eq!(tail("a\nb\nc\n", 2), "b\nc");
        assert_eq!(tail("a", 5), "a");
    }
}
