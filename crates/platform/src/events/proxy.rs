//! A TCP proxy for fault-injection tests: put it between a service and a
//! real backend (RabbitMQ, Redis, PostgreSQL) and cut the connections, so a
//! test can take the backend away without stopping the machine's server.

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
};

use tokio::{
    net::{TcpListener, TcpStream},
    sync::watch,
};

/// A proxy on `127.0.0.1:<port>` forwarding to `upstream`.
pub struct TcpProxy {
    addr: SocketAddr,
    /// Bumped on every cut; each connection ends when it changes.
    generation: watch::Sender<u64>,
    open: Arc<AtomicBool>,
    accept: tokio::task::JoinHandle<()>,
}

impl TcpProxy {
    pub async fn start(upstream: SocketAddr) -> anyhow::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (generation, _) = watch::channel(0u64);
        let open = Arc::new(AtomicBool::new(true));
        let accept = tokio::spawn(accept_loop(
            listener,
            upstream,
            generation.clone(),
            open.clone(),
        ));
        Ok(Self {
            addr,
            generation,
            open,
            accept,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Closes every proxied connection and refuses new ones until
    /// [`TcpProxy::restore`].
    pub fn cut(&self) {
        self.open.store(false, Ordering::SeqCst);
        self.generation.send_modify(|g| *g += 1);
    }

    /// Accepts connections again.
    pub fn restore(&self) {
        self.open.store(true, Ordering::SeqCst);
    }
}

impl Drop for TcpProxy {
    fn drop(&mut self) {
        self.accept.abort();
        self.generation.send_modify(|g| *g += 1);
    }
}

async fn accept_loop(
    listener: TcpListener,
    upstream: SocketAddr,
    generation: watch::Sender<u64>,
    open: Arc<AtomicBool>,
) {
    while let Ok((client, _)) = listener.accept().await {
        if !open.load(Ordering::SeqCst) {
            drop(client);
            continue;
        }
        let mut cut = generation.subscribe();
        tokio::spawn(async move {
            let Ok(mut server) = TcpStream::connect(upstream).await else {
                return;
            };
            let mut client = client;
            tokio::select! {
                _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                _ = cut.changed() => {}
            }
        });
    }
}
