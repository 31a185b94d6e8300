//! A map from sequential ids (tasks, hosts) to their records with O(1) lookups.
//!
//! The scheduler looks a task up for every candidate of every scale-in and every census; in a
//! `BTreeMap` those searches were a quarter of a month-long run. Ids are handed out in
//! increasing order and records die roughly in the same order, so a window of slot numbers
//! from the oldest live id to the newest (a few times the live count) indexes a dense vector.
//! Records stay dense so a checkpoint's clone copies one contiguous block, and iteration in id
//! order (what `BTreeMap` gave, and what events and views depend on) walks the window.

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::fmt;

use crate::world::{HostId, TaskId};

/// An id that numbers its records: `HostId` and `TaskId`.
pub trait SeqId: Copy {
    fn seq(self) -> u32;
    fn from_seq(seq: u32) -> Self;
}

impl SeqId for TaskId {
    fn seq(self) -> u32 {
        self.0
    }
    fn from_seq(seq: u32) -> Self {
        TaskId(seq)
    }
}

impl SeqId for HostId {
    fn seq(self) -> u32 {
        self.0
    }
    fn from_seq(seq: u32) -> Self {
        HostId(seq)
    }
}

/// Records by id. `slot[id - base]` is the record's position in `items` plus one (0: none).
#[derive(Clone)]
pub struct IdTable<K, V> {
    base: u32,
    slot: VecDeque<u32>,
    items: Vec<V>,
    keys: Vec<K>,
}

impl<K: SeqId, V> Default for IdTable<K, V> {
    fn default() -> Self {
        IdTable {
            base: 0,
            slot: VecDeque::new(),
            items: Vec::new(),
            keys: Vec::new(),
        }
    }
}

impl<K: SeqId, V> IdTable<K, V> {
    fn position(&self, k: &K) -> Option<usize> {
        let off = k.seq().checked_sub(self.base)?;
        match self.slot.get(off as usize) {
            Some(&s) if s > 0 => Some(s as usize - 1),
            _ => None,
        }
    }

    /// The record's position among the `len()` records: a dense index for per-record scratch
    /// arrays, valid until the next insert or removal.
    pub fn dense_index(&self, k: &K) -> Option<usize> {
        self.position(k)
    }

    pub fn get(&self, k: &K) -> Option<&V> {
        self.position(k).map(|p| &self.items[p])
    }

    pub fn get_mut(&mut self, k: &K) -> Option<&mut V> {
        self.position(k).map(|p| &mut self.items[p])
    }

    pub fn contains_key(&self, k: &K) -> bool {
        self.position(k).is_some()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Inserts or replaces; returns the record it replaced.
    pub fn insert(&mut self, k: K, v: V) -> Option<V> {
        if let Some(p) = self.position(&k) {
            return Some(core::mem::replace(&mut self.items[p], v));
        }
        let seq = k.seq();
        if self.slot.is_empty() {
            self.base = seq;
        }
        while seq < self.base {
            self.slot.push_front(0);
            self.base -= 1;
        }
        let off = (seq - self.base) as usize;
        if off >= self.slot.len() {
            self.slot.resize(off + 1, 0);
        }
        self.items.push(v);
        self.keys.push(k);
        self.slot[off] = self.items.len() as u32;
        None
    }

    pub fn remove(&mut self, k: &K) -> Option<V> {
        let p = self.position(k)?;
        self.slot[(k.seq() - self.base) as usize] = 0;
        let v = self.items.swap_remove(p);
        self.keys.swap_remove(p);
        if let Some(moved) = self.keys.get(p) {
            self.slot[(moved.seq() - self.base) as usize] = p as u32 + 1;
        }
        // Keep the window from the oldest live id to the newest.
        while self.slot.front() == Some(&0) {
            self.slot.pop_front();
            self.base += 1;
        }
        while self.slot.back() == Some(&0) {
            self.slot.pop_back();
        }
        Some(v)
    }

    /// Records in id order.
    pub fn values(&self) -> impl Iterator<Item = &V> + '_ {
        self.slot
            .iter()
            .filter(|s| **s > 0)
            .map(|s| &self.items[*s as usize - 1])
    }

    /// (id, record) in id order.
    pub fn iter(&self) -> impl Iterator<Item = (K, &V)> + '_ {
        let base = self.base;
        self.slot
            .iter()
            .enumerate()
            .filter(|(_, s)| **s > 0)
            .map(move |(i, s)| (K::from_seq(base + i as u32), &self.items[*s as usize - 1]))
    }

    /// Every record, in no particular (but deterministic) order: for sums and counts, which
    /// need no walk over the id window.
    pub fn values_unordered(&self) -> core::slice::Iter<'_, V> {
        self.items.iter()
    }

    /// Every record, mutably, in no particular (but deterministic) order.
    pub fn values_unordered_mut(&mut self) -> core::slice::IterMut<'_, V> {
        self.items.iter_mut()
    }
}

impl<K: SeqId, V> core::ops::Index<&K> for IdTable<K, V> {
    type Output = V;
    fn index(&self, k: &K) -> &V {
        self.get(k).expect("no record with this id")
    }
}

/// Printed as the map it stands for, in id order (as `BTreeMap` printed it).
impl<K: SeqId + fmt::Debug, V: fmt::Debug> fmt::Debug for IdTable<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::collections::BTreeMap;

    /// A random mix of inserts (mostly increasing ids, some below the window) and removals
    /// agrees with a `BTreeMap` after every step, in lookups and in order.
    #[test]
    fn agrees_with_an_ordered_map() {
        let mut rng = crate::rng::Pcg32::seeded(7);
        let mut table: IdTable<TaskId, u64> = IdTable::default();
        let mut model: BTreeMap<u32, u64> = BTreeMap::new();
        let mut next = 100u32;
        for step in 0..20_000u64 {
            match rng.below(10) {
                0..=4 => {
                    let id = if rng.below(20) == 0 {
                        next.saturating_sub(rng.below(300))
                    } else {
                        next += 1 + rng.below(3);
                        next
                    };
                    assert_eq!(
                        table.insert(TaskId(id), step),
                        model.insert(id, step),
                        "insert {id}"
                    );
                }
                _ => {
                    let keys: Vec<u32> = model.keys().copied().collect();
                    if let Some(&id) = keys.get(rng.below(keys.len() as u32 + 1) as usize) {
                        assert_eq!(table.remove(&TaskId(id)), model.remove(&id));
                    }
                    assert_eq!(table.remove(&TaskId(next + 5)), None);
                }
            }
            assert_eq!(table.len(), model.len());
            let probe = rng.below(next + 10);
            assert_eq!(table.get(&TaskId(probe)), model.get(&probe));
            if step % 97 == 0 {
                let ours: Vec<(u32, u64)> = table.iter().map(|(k, v)| (k.0, *v)).collect();
                let theirs: Vec<(u32, u64)> = model.iter().map(|(k, v)| (*k, *v)).collect();
                assert_eq!(ours, theirs);
                let mut unordered: Vec<u64> = table.values_unordered().copied().collect();
                unordered.sort_unstable();
                let mut all: Vec<u64> = model.values().copied().collect();
                all.sort_unstable();
                assert_eq!(unordered, all);
            }
        }
        // The window shrinks back to the live ids.
        let keys: Vec<u32> = model.keys().copied().collect();
        for id in keys {
            table.remove(&TaskId(id));
        }
        assert!(table.len() == 0 && table.slot.is_empty());
    }
}
