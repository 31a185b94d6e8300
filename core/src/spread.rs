//! Where each owner's live tasks are placed: per host and per AZ, kept up to date as tasks are
//! placed and stopped, so placement and rebalancing read an owner's spread without visiting
//! every one of its tasks on every pass.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use crate::world::{HostId, Owner};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spread {
    per_host: BTreeMap<Owner, BTreeMap<HostId, u32>>,
    per_az: BTreeMap<Owner, Vec<u32>>,
}

impl Spread {
    /// A live task of `owner` was placed on `host` in `az`.
    pub fn placed(&mut self, owner: Owner, host: HostId, az: u32) {
        *self
            .per_host
            .entry(owner)
            .or_default()
            .entry(host)
            .or_default() += 1;
        let azs = self.per_az.entry(owner).or_default();
        if azs.len() <= az as usize {
            azs.resize(az as usize + 1, 0);
        }
        azs[az as usize] += 1;
    }

    /// A placed task of `owner` on `host` in `az` stopped being live.
    pub fn left(&mut self, owner: Owner, host: HostId, az: u32) {
        if let Some(hosts) = self.per_host.get_mut(&owner) {
            if let Some(n) = hosts.get_mut(&host) {
                *n -= 1;
                if *n == 0 {
                    hosts.remove(&host);
                }
            }
        }
        if let Some(n) = self
            .per_az
            .get_mut(&owner)
            .and_then(|azs| azs.get_mut(az as usize))
        {
            *n -= 1;
        }
    }

    /// The owner's live placed tasks per host (hosts without any are absent).
    pub fn hosts(&self, owner: Owner) -> impl Iterator<Item = (HostId, u32)> + '_ {
        self.per_host
            .get(&owner)
            .into_iter()
            .flatten()
            .map(|(h, n)| (*h, *n))
    }

    /// The owner's live tasks on `host`.
    pub fn on(&self, owner: Owner, host: HostId) -> u32 {
        self.per_host
            .get(&owner)
            .and_then(|hosts| hosts.get(&host))
            .copied()
            .unwrap_or(0)
    }

    /// The owner's live placed tasks in `az`, whatever the state of their hosts.
    pub fn in_az(&self, owner: Owner, az: u32) -> u32 {
        self.per_az
            .get(&owner)
            .and_then(|azs| azs.get(az as usize))
            .copied()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::ServiceId;

    #[test]
    fn counts_follow_placements_and_stops() {
        let (a, b) = (Owner::Service(ServiceId(0)), Owner::Standalone(0));
        let mut s = Spread::default();
        s.placed(a, HostId(1), 0);
        s.placed(a, HostId(1), 0);
        s.placed(a, HostId(2), 2);
        s.placed(b, HostId(2), 2);
        s.left(a, HostId(1), 0);
        assert_eq!(
            s.hosts(a).collect::<Vec<_>>(),
            [(HostId(1), 1), (HostId(2), 1)]
        );
        assert_eq!((s.in_az(a, 0), s.in_az(a, 1), s.in_az(a, 2)), (1, 0, 1));
        assert_eq!((s.on(a, HostId(1)), s.on(b, HostId(1))), (1, 0));
        s.left(a, HostId(1), 0);
        // A host the owner no longer uses is gone from its list.
        assert_eq!(s.hosts(a).collect::<Vec<_>>(), [(HostId(2), 1)]);
        assert_eq!(s.hosts(b).collect::<Vec<_>>(), [(HostId(2), 1)]);
        assert_eq!(s.in_az(b, 5), 0);
    }
}
