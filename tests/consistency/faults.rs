//! Faults injected while the buyers shop, each through an interface an
//! operator would recognise: a TCP proxy in front of a dependency that cuts
//! every connection and refuses new ones for a while, or SIGKILL to the
//! orders process followed by a restart. The machine's services are never
//! stopped.

use std::{
    sync::Mutex,
    time::{Duration, Instant},
};

use platform::events::proxy::TcpProxy;

use crate::shop::Shop;

#[derive(Clone, Copy, Debug)]
pub enum Fault {
    /// The catalog unreachable from the orders service: connections cut
    /// and refused, so reserves and releases fail.
    CatalogUnreachable,
    /// The catalog's replies lost on the way back: a reserve takes the
    /// stock, and the orders service never learns it (between reserve and
    /// store, the checkout fails).
    CatalogRepliesLost,
    /// The orders process killed mid-checkout, restarted after `lasting`.
    KillOrders,
    PostgresCut,
    RedisCut,
    RabbitmqCut,
}

#[derive(Clone, Copy, Debug)]
pub struct Scheduled {
    pub at: Duration,
    pub fault: Fault,
    pub lasting: Duration,
}

pub const fn at(ms: u64, fault: Fault, lasting_ms: u64) -> Scheduled {
    Scheduled {
        at: Duration::from_millis(ms),
        fault,
        lasting: Duration::from_millis(lasting_ms),
    }
}

/// What happened when, for the report.
#[derive(Default)]
pub struct FaultLog(Mutex<Vec<String>>);

impl FaultLog {
    fn note(&self, epoch: Instant, what: String) {
        let line = format!("{:>7.3}s {what}", epoch.elapsed().as_secs_f64());
        self.0.lock().expect("the fault log").push(line);
    }

    pub fn lines(&self) -> Vec<String> {
        self.0.lock().expect("the fault log").clone()
    }
}

/// Injects the schedule (faults may overlap: each runs on its own).
pub async fn inject(shop: &Shop, schedule: &[Scheduled], epoch: Instant, log: &FaultLog) {
    let runs = schedule.iter().map(|scheduled| async move {
        tokio::time::sleep_until((epoch + scheduled.at).into()).await;
        let fault = scheduled.fault;
        match fault {
            Fault::KillOrders => {
                let mut orders = shop.orders.lock().await;
                orders.kill().await;
                log.note(epoch, "orders process killed (SIGKILL)".into());
                tokio::time::sleep(scheduled.lasting).await;
                orders.restart().await;
                log.note(
                    epoch,
                    format!("orders process up again (start #{})", orders.starts()),
                );
            }
            Fault::CatalogUnreachable | Fault::CatalogRepliesLost => {
                let proxy = &shop.catalog_proxy;
                match fault {
                    Fault::CatalogUnreachable => proxy.cut(),
                    _ => proxy.lose_replies(),
                }
                log.note(epoch, format!("{fault:?}: on"));
                tokio::time::sleep(scheduled.lasting).await;
                proxy.restore();
                log.note(epoch, format!("{fault:?}: off"));
            }
            _ => {
                let proxy = proxy_of(shop, fault);
                proxy.cut();
                log.note(
                    epoch,
                    format!("{fault:?}: connections cut, new ones refused"),
                );
                tokio::time::sleep(scheduled.lasting).await;
                proxy.restore();
                log.note(epoch, format!("{fault:?}: connections accepted again"));
            }
        }
    });
    futures::future::join_all(runs).await;
}

fn proxy_of(shop: &Shop, fault: Fault) -> &TcpProxy {
    let backends = &shop.backends;
    let proxy = match fault {
        Fault::PostgresCut => backends.postgres.as_ref(),
        Fault::RedisCut => backends.redis.as_ref().map(|r| &r.proxy),
        Fault::RabbitmqCut => backends.rabbitmq.as_ref().map(|r| &r.proxy),
        Fault::KillOrders | Fault::CatalogUnreachable | Fault::CatalogRepliesLost => None,
    };
    proxy.unwrap_or_else(|| panic!("{fault:?} needs its backend switched on"))
}
