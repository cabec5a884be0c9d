//! The proxy between the orders service and the catalog. Besides cutting
//! (every connection closed, new ones refused, like platform's TcpProxy),
//! it can lose replies: requests still reach the catalog, which acts on
//! them (a reserve takes stock), but the answers never come back and the
//! connection closes. That is "the catalog unreachable between reserve and
//! store" as the orders service sees it, without stubbing the catalog.

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicU8, Ordering},
    },
};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    sync::watch,
};

const OPEN: u8 = 0;
const CUT: u8 = 1;
const LOSING_REPLIES: u8 = 2;

pub struct ReplyProxy {
    addr: SocketAddr,
    mode: Arc<AtomicU8>,
    /// Bumped on every cut; each connection ends when it changes.
    cuts: watch::Sender<u64>,
    accept: tokio::task::JoinHandle<()>,
}

impl ReplyProxy {
    pub async fn start(upstream: SocketAddr) -> ReplyProxy {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port for the proxy");
        let addr = listener.local_addr().expect("an address");
        let mode = Arc::new(AtomicU8::new(OPEN));
        let (cuts, _) = watch::channel(0);
        let accept = tokio::spawn(accept_loop(listener, upstream, mode.clone(), cuts.clone()));
        ReplyProxy {
            addr,
            mode,
            cuts,
            accept,
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Closes every connection and refuses new ones until [`Self::restore`].
    pub fn cut(&self) {
        self.mode.store(CUT, Ordering::SeqCst);
        self.cuts.send_modify(|g| *g += 1);
    }

    /// Lets requests through and loses their replies until [`Self::restore`].
    pub fn lose_replies(&self) {
        self.mode.store(LOSING_REPLIES, Ordering::SeqCst);
    }

    pub fn restore(&self) {
        self.mode.store(OPEN, Ordering::SeqCst);
    }
}

impl Drop for ReplyProxy {
    fn drop(&mut self) {
        self.accept.abort();
        self.cuts.send_modify(|g| *g += 1);
    }
}

async fn accept_loop(
    listener: TcpListener,
    upstream: SocketAddr,
    mode: Arc<AtomicU8>,
    cuts: watch::Sender<u64>,
) {
    while let Ok((client, _)) = listener.accept().await {
        if mode.load(Ordering::SeqCst) == CUT {
            continue;
        }
        let mut cut = cuts.subscribe();
        let mode = mode.clone();
        tokio::spawn(async move {
            let Ok(server) = TcpStream::connect(upstream).await else {
                return;
            };
            let (mut client_read, mut client_write) = client.into_split();
            let (mut server_read, mut server_write) = server.into_split();
            let requests = tokio::io::copy(&mut client_read, &mut server_write);
            let replies = async {
                let mut buffer = vec![0u8; 16 * 1024];
                loop {
                    let n = server_read.read(&mut buffer).await?;
                    // A reply that arrives while losing replies is dropped,
                    // and the connection with it: the request was served.
                    if n == 0 || mode.load(Ordering::SeqCst) == LOSING_REPLIES {
                        return Ok::<_, std::io::Error>(());
                    }
                    client_write.write_all(&buffer[..n]).await?;
                }
            };
            tokio::select! {
                _ = requests => {}
                _ = replies => {}
                _ = cut.changed() => {}
            }
        });
    }
}
