//! The global allocator of ShopGraph's binaries: mimalloc, called so that
//! ordinary allocations take its fast path.
//!
//! The `mimalloc` crate hands every allocation to `mi_malloc_aligned` with
//! the type's alignment. mimalloc 3 serves that from a free list only when
//! the size class has a free block at hand; otherwise it over-allocates by
//! the alignment in a slow path, unless the size is a power of two: an
//! 80-byte object field took a 96-byte block. On the gateway benchmark that
//! was 19,207 of the router's 19,972 aligned allocations, each about 140
//! instructions instead of 20, with every tree a fifth larger than needed.
//! Every mimalloc block is 8-byte aligned, and 16-byte aligned from 16
//! bytes on (its size classes are multiples of 16 there), as with glibc's
//! malloc, so std's own rule for `System` applies: those alignments need
//! nothing but `mi_malloc`.

use std::{
    alloc::{GlobalAlloc, Layout},
    ffi::c_void,
};

use libmimalloc_sys as mi;

/// mimalloc, with plain calls for the alignments it always gives.
pub struct MiMalloc;

/// The alignment every block of mimalloc's has from 16 bytes on.
const MIN_ALIGN: usize = 16;

/// Whether any block of `size` bytes is aligned to `align` already.
fn plain(size: usize, align: usize) -> bool {
    align <= MIN_ALIGN && align <= size
}

/// A new block for `layout`: from `plain_call` when its alignment comes
/// with every block of its size, else from `aligned_call`.
///
/// # Safety
/// `layout` has a non-zero size (as `GlobalAlloc::alloc` requires), and the
/// two calls are mimalloc's (`mi_malloc` and `mi_malloc_aligned`, or their
/// zeroing twins).
#[inline]
unsafe fn fresh(
    layout: Layout,
    plain_call: unsafe extern "C" fn(usize) -> *mut c_void,
    aligned_call: unsafe extern "C" fn(usize, usize) -> *mut c_void,
) -> *mut u8 {
    let (size, align) = (layout.size(), layout.align());
    // SAFETY: plain C calls with a size and a power-of-two alignment.
    unsafe {
        if plain(size, align) {
            plain_call(size).cast()
        } else {
            aligned_call(size, align).cast()
        }
    }
}

// SAFETY: every pointer returned comes from mimalloc with at least the
// layout's size and alignment (see `plain`), and is freed by mimalloc.
unsafe impl GlobalAlloc for MiMalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's layout, and mimalloc's calls.
        unsafe { fresh(layout, mi::mi_malloc, mi::mi_malloc_aligned) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as in `alloc`.
        unsafe { fresh(layout, mi::mi_zalloc, mi::mi_zalloc_aligned) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator, so from mimalloc.
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let align = layout.align();
        // SAFETY: `ptr` came from this allocator; the new block keeps the
        // alignment, given by the size class or asked for.
        unsafe {
            if plain(new_size, align) {
                mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, align).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_have_the_alignment_of_their_layout() {
        let allocator = MiMalloc;
        for (size, align) in [
            (8, 8),
            (24, 8),
            (40, 8),
            (80, 8),
            (16, 16),
            (48, 16),
            (64, 64),
            (100, 4096),
        ] {
            let layout = Layout::from_size_align(size, align).expect("a layout");
            // SAFETY: a non-zero size; the block is freed with its layout.
            unsafe {
                let p = allocator.alloc(layout);
                assert!(!p.is_null());
                assert_eq!(p as usize % align, 0, "{size} bytes aligned to {align}");
                let q = allocator.realloc(p, layout, size * 3);
                assert_eq!(
                    q as usize % align,
                    0,
                    "{} bytes aligned to {align}",
                    size * 3
                );
                allocator.dealloc(
                    q,
                    Layout::from_size_align(size * 3, align).expect("a layout"),
                );
                let z = allocator.alloc_zeroed(layout);
                assert!(std::slice::from_raw_parts(z, size).iter().all(|b| *b == 0));
                allocator.dealloc(z, layout);
            }
        }
    }
}
