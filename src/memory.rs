//! Handing memory back between a build's stages. Each stage frees scratch
//! the next does not reuse in the same sizes (parsing's maps, rendering's
//! template contexts, the index's word maps); mimalloc keeps such pages in
//! the heap of the thread that freed them, so without this a build's peak
//! is the sum of its stages' leftovers rather than the largest stage.

/// Returns the pages every thread has emptied to the system: the calling
/// thread's and each of rayon's workers' (mimalloc collects a thread's own
/// heap only). Costs a few milliseconds; called between stages, not in them.
pub fn release() {
    // SAFETY: `mi_collect` only walks mimalloc's own heaps; it is safe from
    // any thread, and harmless when mimalloc is not the global allocator.
    let collect = || unsafe { libmimalloc_sys::mi_collect(true) };
    rayon::broadcast(|_| collect());
    collect();
}
