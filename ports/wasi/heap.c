/*
 * The GC heap, shared by both image formats (main.c, main_command.c): heap
 * areas taken from linear memory, grown up to a limit, and the GC's root scan.
 */

#include <stddef.h>
#include <stdint.h>

#include "py/gc.h"
#include "py/mpstate.h"
#include "heap.h"

// GC heap areas are whole wasm pages, taken from the end of linear memory,
// not from libc's malloc: zig's rounds large blocks up to a power of two, which
// would let the heap use only about half of the memory the host allows.
// Freed areas are kept in an address-ordered list (adjacent ones merged) and
// reused. Each area is preceded by a header that records its size.
#define WASM_PAGE_SIZE (65536)
#define AREA_HEADER_SIZE (16)

typedef struct _page_run_t {
    struct _page_run_t *next;
    size_t size;
} page_run_t;

static page_run_t *free_runs;
static size_t free_run_bytes;

static void *pages_alloc(size_t *size) {
    size_t want = (*size + WASM_PAGE_SIZE - 1) & ~(size_t)(WASM_PAGE_SIZE - 1);
    for (page_run_t **link = &free_runs; *link != NULL; link = &(*link)->next) {
        page_run_t *run = *link;
        if (run->size >= want) {
            if (run->size - want >= WASM_PAGE_SIZE) {
                page_run_t *rest = (page_run_t *)((char *)run + want);
                rest->next = run->next;
                rest->size = run->size - want;
                *link = rest;
            } else {
                *link = run->next;
                want = run->size;
            }
            free_run_bytes -= want;
            *size = want;
            return run;
        }
    }
    size_t old_pages = __builtin_wasm_memory_grow(0, want / WASM_PAGE_SIZE);
    if (old_pages == (size_t)-1) {
        return NULL;
    }
    *size = want;
    return (void *)(old_pages * WASM_PAGE_SIZE);
}

static void pages_free(void *p, size_t size) {
    page_run_t *run = p;
    run->size = size;
    free_run_bytes += size;
    page_run_t **link = &free_runs;
    while (*link != NULL && *link < run) {
        link = &(*link)->next;
    }
    run->next = *link;
    *link = run;
    // Merge with the following run, then with the preceding one.
    if (run->next != NULL && (char *)run + run->size == (char *)run->next) {
        run->size += run->next->size;
        run->next = run->next->next;
    }
    if (link != &free_runs) {
        page_run_t *prev = (page_run_t *)((char *)link - offsetof(page_run_t, next));
        if ((char *)prev + prev->size == (char *)run) {
            prev->size += run->size;
            prev->next = run->next;
        }
    }
}

// A heap area of at least *size bytes, its usable size stored back in *size
// (NULL if that would exceed `limit` bytes in all, or memory is exhausted).
static void *heap_area_alloc(size_t *size, size_t limit) {
    size_t total = *size + AREA_HEADER_SIZE;
    if (total > limit) {
        return NULL;
    }
    char *p = pages_alloc(&total);
    if (p == NULL) {
        return NULL;
    }
    *(size_t *)p = total;
    *size = total - AREA_HEADER_SIZE;
    return p + AREA_HEADER_SIZE;
}

static void heap_area_free(void *area) {
    char *p = (char *)area - AREA_HEADER_SIZE;
    pages_free(p, *(size_t *)p);
}

// Called by the GC when it needs a new heap area: how large may it be (not
// counting the area's header). The heap grows while linear memory in use
// (all of it but freed heap areas) stays within heap_max; the host sets that
// a little below its limit on linear memory, leaving room for libc's malloc.
//
// When an allocation did not fit the heap even after a collection and the
// heap could not grow, py/gc.c calls MP_PLAT_HEAP_LIMIT_REACHED (patch 0019):
// note that the limit stopped it; growing the heap clears the note. The
// reactor's mpw_exec reports it (MPW_LIMIT_MEMORY), so that the host does not
// take the guest's word (an exception's name) for it. gc.mem_free() also asks
// for the size below, which must not count as reaching the limit.
static bool heap_limit_reached;
static size_t heap_max;

size_t gc_get_max_new_split(void) {
    size_t used = __builtin_wasm_memory_size(0) * WASM_PAGE_SIZE - free_run_bytes + AREA_HEADER_SIZE;
    return used < heap_max ? heap_max - used : 0;
}

// For py/gc.c (MP_PLAT_HEAP_LIMIT_REACHED) and guard.c (an object larger than
// any memory limit allows was asked for).
void mpw_memory_limit_reached(void) {
    heap_limit_reached = true;
}

// MP_PLAT_ALLOC_HEAP hook (mpconfigport.h).
void *mpw_alloc_heap(size_t size) {
    void *area = heap_area_alloc(&size, gc_get_max_new_split() + AREA_HEADER_SIZE);
    heap_limit_reached = area == NULL;
    return area;
}

// py/gc.c (v1.28) frees a split-heap area when its highest used block is
// block 0, which is also the case when a live object occupies block 0 alone.
// Such an area has already been unlinked when this is called: keep it and
// link it back in once the collection is over (see gc_collect).
static mp_state_mem_area_t *areas_to_relink;

void mpw_free_heap(void *p) {
    mp_state_mem_area_t *area = p;
    bool block0_in_use = (area->gc_alloc_table_start[0] & 3) != 0;
    if (block0_in_use) {
        area->next = areas_to_relink;
        areas_to_relink = area;
        return;
    }
    heap_area_free(p);
}

static void relink_areas(void) {
    while (areas_to_relink != NULL) {
        mp_state_mem_area_t *area = areas_to_relink;
        areas_to_relink = area->next;
        area->next = MP_STATE_MEM(area).next;
        area->gc_last_free_atb_index = 0;
        MP_STATE_MEM(area).next = area;
    }
}

// The allocation table's entry for a block (py/gc.c keeps its own macros
// private): 2 bits a block, 4 blocks a byte.
#define ATB_KIND(area, block) (((area)->gc_alloc_table_start[(block) / 4] >> (2 * ((block) % 4))) & 3)
#define ATB_KIND_TAIL (2)

// A root the C stack holds: mark the object it points into, wherever in it.
// gc_collect_root follows only pointers to an object's first byte, but code
// may keep just a derived pointer live across a call (e.g. &self->re, hoisted
// out of a loop whose body calls into Python, while `self` itself is dead):
// a native stack scan misses those too, but on wasm the optimisers make them
// common. Only roots get this treatment; pointers inside heap objects still
// must point at an object's start, as py/gc.c expects.
static void collect_interior_root(uintptr_t ptr) {
    for (mp_state_mem_area_t *area = &MP_STATE_MEM(area); area != NULL; area = area->next) {
        if (ptr >= (uintptr_t)area->gc_pool_start && ptr < (uintptr_t)area->gc_pool_end) {
            size_t block = (ptr - (uintptr_t)area->gc_pool_start) / MICROPY_BYTES_PER_GC_BLOCK;
            while (block > 0 && ATB_KIND(area, block) == ATB_KIND_TAIL) {
                block--;
            }
            void *head = area->gc_pool_start + block * MICROPY_BYTES_PER_GC_BLOCK;
            gc_collect_root(&head, 1);
            return;
        }
    }
}

// The top of the shadow stack (wasm-ld). The linker places the stack there and
// every export starts with __stack_pointer at it.
extern char __stack_high;

// Find the GC roots. MicroPython keeps roots in its state and on the C stack.
// On wasm, values held in wasm locals or on the operand stack are invisible
// from here, so the link runs binaryen's --flatten and --spill-pointers
// passes, which store every pointer-sized value that is live across a call to
// the linear-memory stack before the call (ports/wasi/CMakeLists.txt says
// why that covers every value): scanning that stack from the current frame
// to its top then sees every live object.
//
// To the top of the whole stack, not to MP_STATE_THREAD(stack_top): each entry
// point sets that (MPW_ENTER) from inside its own frame, below the frame
// itself and below binaryen's spill slots for the entry point's locals, so
// whatever the entry point (or code the compiler inlined into it) keeps there
// would go unscanned. With code objects, exec_source's parse tree lived in
// mpw_exec's frame that way, and a collection during compiling freed it.
void gc_collect(void) {
    gc_collect_start();
    volatile uintptr_t sp_marker = 0;
    uintptr_t *sp = (uintptr_t *)&sp_marker;
    uintptr_t *top = (uintptr_t *)&__stack_high;
    for (uintptr_t *p = sp; p < top; p++) {
        collect_interior_root(*p);
    }
    gc_collect_end();
    relink_areas();
}

bool mpw_heap_init(size_t heap_size, size_t heap_max_bytes) {
    heap_max = heap_max_bytes;
    char *heap = heap_area_alloc(&heap_size, SIZE_MAX);
    if (heap == NULL) {
        return false;
    }
    gc_init(heap, heap + heap_size);
    #if MICROPY_WASI_GC_TORTURE
    // A test build: collect before every allocation, so that any pointer the
    // collector cannot see is freed at the first chance (tests/test_gc_roots.py).
    MP_STATE_MEM(gc_alloc_threshold) = 0;
    #endif
    return true;
}

void mpw_heap_set_max(size_t heap_max_bytes) {
    heap_max = heap_max_bytes;
}

bool mpw_heap_limit_reached(void) {
    return heap_limit_reached;
}

void mpw_heap_clear_limit_reached(void) {
    heap_limit_reached = false;
}
