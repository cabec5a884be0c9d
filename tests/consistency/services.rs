//! The services under test as child processes of the `shopgraph` binary
//! (`shopgraph catalog`, `shopgraph orders`), configured only by their
//! environment, as they are deployed. A child process can be killed with
//! SIGKILL mid-checkout and started again on the same port and database,
//! which an in-process task cannot: its in-memory state (delayed messages
//! of the in-process broker, connection pools) dies with it for real.

use std::{
    collections::BTreeMap,
    fs::File,
    net::{SocketAddr, TcpListener},
    path::PathBuf,
    process::Stdio,
    time::{Duration, Instant},
};

use tokio::process::{Child, Command};

/// One service process and how to start it again.
pub struct Service {
    pub name: &'static str,
    pub addr: SocketAddr,
    env: BTreeMap<String, String>,
    log: PathBuf,
    dir: PathBuf,
    child: Option<Child>,
    starts: u32,
}

impl Service {
    /// Starts `shopgraph <name>` with `env` on `addr`, and waits until it
    /// answers `/health`.
    pub async fn start(
        name: &'static str,
        addr: SocketAddr,
        env: BTreeMap<String, String>,
        log_dir: &std::path::Path,
    ) -> Service {
        let mut service = Service {
            name,
            addr,
            env,
            log: log_dir.join(format!("{name}.log")),
            dir: log_dir.to_owned(),
            child: None,
            starts: 0,
        };
        service.spawn().await;
        service
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    async fn spawn(&mut self) {
        self.starts += 1;
        // Appends: a restarted process's log follows the killed one's.
        let log = File::options()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("a log file");
        let mut command = Command::new(env!("CARGO_BIN_EXE_shopgraph"));
        command
            .arg(self.name)
            .env_clear()
            .envs(&self.env)
            .env("LISTEN_ADDR", self.addr.to_string())
            .env("RUST_LOG", "warn")
            // Anything a service keeps on disk by default goes to the run's
            // temporary directory, not the repository.
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("a log file"))
            .stderr(log)
            .kill_on_drop(true);
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("starting shopgraph {}: {e}", self.name));
        self.child = Some(child);
        self.wait_healthy().await;
    }

    async fn wait_healthy(&mut self) {
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            let health = client
                .get(format!("{}/health", self.url()))
                .timeout(Duration::from_secs(1))
                .send()
                .await;
            if health.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            if let Some(Ok(Some(status))) = self.child.as_mut().map(Child::try_wait) {
                panic!(
                    "shopgraph {} exited with {status} while starting:\n{}",
                    self.name,
                    self.log_tail()
                );
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "shopgraph {} did not become healthy in 60 s:\n{}",
                self.name,
                self.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// SIGKILL: no graceful shutdown, no flush, whatever was in flight is lost.
    pub async fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().await.expect("the child is killed");
        }
    }

    /// Starts the service again with the same environment, port and database.
    pub async fn restart(&mut self) {
        self.kill().await;
        self.spawn().await;
    }

    pub fn starts(&self) -> u32 {
        self.starts
    }

    /// The end of the service's log, for failure messages.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let from = lines.len().saturating_sub(40);
        lines[from..].join("\n")
    }
}

/// A free port on the loopback interface, chosen now so that services can be
/// told each other's address before they start (the catalog's sweeper asks
/// the orders service, which reserves through the catalog).
pub fn free_addr() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
}
