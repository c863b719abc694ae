#ifndef MICROPY_INCLUDED_WASI_MODHOST_H
#define MICROPY_INCLUDED_WASI_MODHOST_H

#include <stddef.h>

// Make the host function `name` callable from Python, as a builtin and as
// an attribute of the `host` module.
void mp_host_register(const char *name, size_t len);

#endif // MICROPY_INCLUDED_WASI_MODHOST_H
