// The GC heap (heap.c), shared by both image formats.
#ifndef MICROPY_INCLUDED_WASI_HEAP_H
#define MICROPY_INCLUDED_WASI_HEAP_H

#include <stdbool.h>
#include <stddef.h>

// Start the GC with a heap of heap_size bytes, allowed to grow in further
// areas while linear memory in use stays within heap_max bytes. False if the
// memory for the initial heap could not be had.
bool mpw_heap_init(size_t heap_size, size_t heap_max);
void mpw_heap_set_max(size_t heap_max);

// Whether the heap limit (or an object too large for any limit) stopped an
// allocation since the note was last cleared.
bool mpw_heap_limit_reached(void);
void mpw_heap_clear_limit_reached(void);
void mpw_memory_limit_reached(void);

#endif // MICROPY_INCLUDED_WASI_HEAP_H
