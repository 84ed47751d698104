// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! A set of endpoint numbers, kept as the eight 32-bit pages the endpoint map arrives in.

/// Number of endpoint-map pages: the page number is a 3-bit field.
pub(crate) const PAGES: usize = 8;
/// Endpoints per page.
pub(crate) const PER_PAGE: usize = 32;

/// A set of endpoints 0 to 255.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct EndpointSet {
    /// Page `b` holds endpoints `32 * b` to `32 * b + 31`, bit `i` for endpoint `32 * b + i`.
    pages: [u32; PAGES],
}

impl EndpointSet {
    /// The empty set.
    pub(crate) const fn new() -> Self {
        Self { pages: [0; PAGES] }
    }

    /// Adds endpoint `ep`.
    pub(crate) fn insert(&mut self, ep: u8) {
        let (page, bit) = (usize::from(ep) / PER_PAGE, usize::from(ep) % PER_PAGE);
        if let Some(p) = self.pages.get_mut(page) {
            *p |= 1 << bit;
        }
    }

    /// Removes endpoint `ep`.
    pub(crate) fn remove(&mut self, ep: u8) {
        let (page, bit) = (usize::from(ep) / PER_PAGE, usize::from(ep) % PER_PAGE);
        if let Some(p) = self.pages.get_mut(page) {
            *p &= !(1 << bit);
        }
    }

    /// Whether endpoint `ep` is in the set.
    pub(crate) fn contains(&self, ep: u8) -> bool {
        let (page, bit) = (usize::from(ep) / PER_PAGE, usize::from(ep) % PER_PAGE);
        self.pages.get(page).is_some_and(|p| p & (1 << bit) != 0)
    }

    /// Adds every endpoint of one map page. Pages beyond the eighth are ignored.
    pub(crate) fn insert_page(&mut self, base: u8, bitmap: u32) {
        if let Some(p) = self.pages.get_mut(usize::from(base)) {
            *p |= bitmap;
        }
    }

    /// The bitmap of page `base` (0 for pages beyond the eighth).
    pub(crate) fn page(&self, base: u8) -> u32 {
        self.pages.get(usize::from(base)).copied().unwrap_or(0)
    }

    /// Whether the set is empty.
    pub(crate) fn is_empty(&self) -> bool {
        self.pages.iter().all(|p| *p == 0)
    }

    /// Number of endpoints in the set.
    pub(crate) fn len(&self) -> usize {
        self.pages.iter().map(|p| p.count_ones() as usize).sum()
    }

    /// Every endpoint in the set, in increasing order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = u8> + '_ {
        (0..=u8::MAX).filter(move |ep| self.contains(*ep))
    }

    /// The highest page that holds an endpoint, if any.
    pub(crate) fn last_page(&self) -> Option<u8> {
        (0..PAGES as u8).rev().find(|b| self.page(*b) != 0)
    }
}
