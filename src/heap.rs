//! The wasm's memory allocator: blocks in power-of-two size classes, a free list per class, and
//! fresh blocks cut from the end of linear memory. About 0.5 KB of code, against about 8 KB for
//! the standard library's dlmalloc.
//!
//! Blocks are never split or merged: a freed block waits for the next request of its class.
//! The cost is memory (up to twice the live bytes, plus freed blocks of classes no longer asked
//! for), which a browser page's life tolerates; every operation is constant time, so a long
//! session never slows down, unlike an allocator with one list searched for a fit.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr;

/// Blocks of every class are aligned to their size, up to this; requests that need more are
/// cut fresh (rare: nothing in this crate asks for it).
const BLOCK_ALIGN: usize = 16;
/// The smallest block holds the free list's link.
const MIN_CLASS: u32 = 3;
const CLASSES: usize = usize::BITS as usize;

/// Where fresh memory comes from: `grow(bytes)` returns the start of at least `bytes` new bytes
/// (contiguous with the previous ones or not), or `None`.
pub trait Memory {
    fn grow(&mut self, bytes: usize) -> Option<usize>;
}

pub struct Heap<M> {
    /// Head of each class's free list (0: empty); a free block's first word links the next.
    free: [usize; CLASSES],
    /// The unused rest of the last memory taken from `M`.
    next: usize,
    end: usize,
    memory: M,
}

/// The class of a request: log2 of its block size.
fn class(layout: &Layout) -> Option<u32> {
    let size = layout.size().max(layout.align()).max(1 << MIN_CLASS);
    Some(size.checked_next_power_of_two()?.trailing_zeros())
}

impl<M: Memory> Heap<M> {
    pub const fn new(memory: M) -> Heap<M> {
        Heap { free: [0; CLASSES], next: 0, end: 0, memory }
    }

    /// # Safety
    /// As `GlobalAlloc::alloc`.
    pub unsafe fn alloc(&mut self, layout: Layout) -> *mut u8 {
        let Some(class) = class(&layout) else { return ptr::null_mut() };
        let head = self.free[class as usize];
        if head != 0 && layout.align() <= BLOCK_ALIGN {
            self.free[class as usize] = *(head as *const usize);
            return head as *mut u8;
        }
        self.cut(1 << class, layout.align().max(BLOCK_ALIGN.min(1 << class)))
    }

    /// A fresh block from the end of the memory taken so far, taking more when it runs out.
    unsafe fn cut(&mut self, size: usize, align: usize) -> *mut u8 {
        let fits = |next: usize, end: usize| {
            let start = next.checked_add(align - 1)? & !(align - 1);
            (start.checked_add(size)? <= end).then_some(start)
        };
        let start = match fits(self.next, self.end) {
            Some(start) => start,
            None => {
                let Some(wanted) = size.checked_add(align) else { return ptr::null_mut() };
                let Some(base) = self.memory.grow(wanted) else { return ptr::null_mut() };
                let Some(end) = base.checked_add(wanted) else { return ptr::null_mut() };
                // New memory right after the old keeps the old rest usable.
                if base != self.end {
                    self.next = base;
                }
                self.end = end;
                match fits(self.next, self.end) {
                    Some(start) => start,
                    None => return ptr::null_mut(),
                }
            }
        };
        self.next = start + size;
        start as *mut u8
    }

    /// # Safety
    /// As `GlobalAlloc::dealloc`.
    pub unsafe fn dealloc(&mut self, block: *mut u8, layout: Layout) {
        if let Some(class) = class(&layout) {
            *(block as *mut usize) = self.free[class as usize];
            self.free[class as usize] = block as usize;
        }
    }

    /// # Safety
    /// As `GlobalAlloc::realloc`.
    pub unsafe fn realloc(&mut self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else { return ptr::null_mut() };
        if class(&layout) == class(&new_layout) {
            return block;
        }
        let moved = self.alloc(new_layout);
        if !moved.is_null() {
            ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
            self.dealloc(block, layout);
        }
        moved
    }
}

/// Linear memory, grown a page at a time.
#[cfg(target_arch = "wasm32")]
pub struct LinearMemory;

#[cfg(target_arch = "wasm32")]
impl Memory for LinearMemory {
    fn grow(&mut self, bytes: usize) -> Option<usize> {
        const PAGE: usize = 65536;
        let pages = bytes.div_ceil(PAGE);
        let previous = core::arch::wasm32::memory_grow(0, pages);
        (previous != usize::MAX).then(|| previous * PAGE)
    }
}

/// The heap as the global allocator: wasm32 here is single-threaded, so one `UnsafeCell`
/// without a lock is sound.
pub struct Global<M>(UnsafeCell<Heap<M>>);

// SAFETY: the wasm32 target this is installed on has one thread.
unsafe impl<M> Sync for Global<M> {}

impl<M: Memory> Global<M> {
    pub const fn new(memory: M) -> Global<M> {
        Global(UnsafeCell::new(Heap::new(memory)))
    }
}

unsafe impl<M: Memory> GlobalAlloc for Global<M> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        (*self.0.get()).alloc(layout)
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        (*self.0.get()).dealloc(block, layout)
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        (*self.0.get()).realloc(block, layout, new_size)
    }
}

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: Global<LinearMemory> = Global::new(LinearMemory);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A fixed arena handed out in the chunks asked for, like linear memory.
    struct Arena {
        bytes: Vec<u64>,
        used: usize,
    }

    impl Memory for &mut Arena {
        fn grow(&mut self, bytes: usize) -> Option<usize> {
            let base = self.bytes.as_ptr() as usize + self.used;
            (self.used + bytes <= self.bytes.len() * 8).then(|| {
                self.used += bytes;
                base
            })
        }
    }

    #[derive(Debug, Clone)]
    enum Op {
        Alloc { size: usize, align_log2: u32 },
        Free(usize),
        Realloc(usize, usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (1usize..3000, 0u32..7).prop_map(|(size, align_log2)| Op::Alloc { size, align_log2 }),
            any::<usize>().prop_map(Op::Free),
            (any::<usize>(), 1usize..5000).prop_map(|(i, size)| Op::Realloc(i, size)),
        ]
    }

    /// Each live block is filled with its own tag byte; any overlap or lost copy shows.
    fn check(live: &[(*mut u8, Layout, u8)]) {
        for (i, &(p, layout, tag)) in live.iter().enumerate() {
            assert_eq!(p as usize % layout.align(), 0, "misaligned block");
            let bytes = unsafe { core::slice::from_raw_parts(p, layout.size()) };
            assert!(bytes.iter().all(|&b| b == tag), "block {i} was overwritten");
        }
    }

    proptest! {
        #[test]
        fn live_blocks_never_overlap_and_keep_their_bytes(ops in proptest::collection::vec(op(), 1..200)) {
            let mut arena = Arena { bytes: vec![0; 1 << 20], used: 0 };
            let mut heap = Heap::new(&mut arena);
            let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
            let mut tag = 0u8;
            for op in ops {
                match op {
                    Op::Alloc { size, align_log2 } => {
                        let layout = Layout::from_size_align(size, 1 << align_log2).unwrap();
                        let p = unsafe { heap.alloc(layout) };
                        prop_assert!(!p.is_null());
                        tag = tag.wrapping_add(1);
                        unsafe { ptr::write_bytes(p, tag, size) };
                        live.push((p, layout, tag));
                    }
                    Op::Free(i) if !live.is_empty() => {
                        let (p, layout, _) = live.swap_remove(i % live.len());
                        unsafe { heap.dealloc(p, layout) };
                    }
                    Op::Realloc(i, size) if !live.is_empty() => {
                        let at = i % live.len();
                        let (p, layout, tag) = live[at];
                        let q = unsafe { heap.realloc(p, layout, size) };
                        prop_assert!(!q.is_null());
                        let kept = unsafe { core::slice::from_raw_parts(q, layout.size().min(size)) };
                        prop_assert!(kept.iter().all(|&b| b == tag), "realloc lost the block's bytes");
                        unsafe { ptr::write_bytes(q, tag, size) };
                        live[at] = (q, Layout::from_size_align(size, layout.align()).unwrap(), tag);
                    }
                    _ => {}
                }
                check(&live);
            }
        }
    }

    #[test]
    fn a_freed_block_is_reused_by_its_class_and_memory_runs_out_cleanly() {
        let mut arena = Arena { bytes: vec![0; 512], used: 0 };
        let mut heap = Heap::new(&mut arena);
        let layout = Layout::from_size_align(100, 8).unwrap();
        let a = unsafe { heap.alloc(layout) };
        unsafe { heap.dealloc(a, layout) };
        let b = unsafe { heap.alloc(Layout::from_size_align(120, 4).unwrap()) };
        assert_eq!(a, b, "same class (128 bytes), same block");
        let c = unsafe { heap.alloc(Layout::from_size_align(128, 8).unwrap()) };
        assert_ne!(c, b);
        assert!(unsafe { heap.alloc(Layout::from_size_align(4096, 8).unwrap()) }.is_null(), "out of memory is null, not a panic");
    }
}
