//! A platform-independent hasher. The determinism digest feeds it a fixed encoding of every
//! event (`digest.rs`); `fold` feeds it a value's `#[derive(Hash)]` output, which is fine for
//! keys that live only in one page's memory but not for anything compared across builds, since
//! the standard library does not promise that output across Rust versions. `#[derive(Hash)]`
//! feeds enum discriminants and lengths as `usize`/`isize`, whose width differs between wasm32
//! and x86_64, so those are widened to 64 bits here and every integer is fed little-endian.

use core::hash::{Hash, Hasher};

/// FNV-1a, 64-bit, with whole integers folded a word at a time.
#[derive(Clone, Debug)]
pub struct StableHasher(u64);

impl Default for StableHasher {
    fn default() -> Self {
        StableHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl StableHasher {
    /// A hasher that continues a digest.
    pub fn with_state(digest: u64) -> StableHasher {
        StableHasher(digest)
    }
}

impl Hasher for StableHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    // Whole integers are folded in one step (FNV-1a over the 8-byte little-endian word would
    // cost eight multiplies); the result is still the same on every platform.
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0 ^ i)
            .wrapping_mul(0x0000_0100_0000_01b3)
            .rotate_left(23);
    }
    fn write_u16(&mut self, i: u16) {
        self.write(&i.to_le_bytes());
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
    fn write_u128(&mut self, i: u128) {
        self.write(&i.to_le_bytes());
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    fn write_i16(&mut self, i: i16) {
        self.write(&i.to_le_bytes());
    }
    fn write_i32(&mut self, i: i32) {
        self.write_u64(i as u32 as u64);
    }
    fn write_i64(&mut self, i: i64) {
        self.write_u64(i as u64);
    }
    fn write_isize(&mut self, i: isize) {
        self.write_i64(i as i64);
    }
}

/// Folds one value into a running digest.
pub fn fold<T: Hash>(digest: u64, value: &T) -> u64 {
    let mut h = StableHasher::with_state(digest);
    value.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_fnv_vector() {
        let mut h = StableHasher::default();
        h.write(b"a");
        assert_eq!(h.finish(), 0xaf63_dc4c_8601_ec8c);
    }
}
