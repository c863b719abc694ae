// The standard variant, the image bundled with the wheel: the core language
// at the "everything" ROM level (the features closest to CPython: match
// groups and spans, range comparison, every in-place special method,
// sys.getsizeof, namedtuple._asdict, t-strings...), double-precision floats,
// arbitrary-precision integers and the modules a sandboxed program needs.
// Its built-in modules are listed in mpconfigvariant.cmake.
#define MICROPY_CONFIG_ROM_LEVEL            (MICROPY_CONFIG_ROM_LEVEL_EVERYTHING)
#define MICROPY_FLOAT_IMPL                  (MICROPY_FLOAT_IMPL_DOUBLE)
#define MICROPY_LONGINT_IMPL                (MICROPY_LONGINT_IMPL_MPZ)
#define MICROPY_ERROR_REPORTING             (MICROPY_ERROR_REPORTING_DETAILED)
#define MICROPY_WARNINGS                    (1)
#define MICROPY_PY_GC_COLLECT_RETVAL        (1)
// sys.settrace slows every bytecode down; the sandbox has no debugger for it.
#define MICROPY_PY_SYS_SETTRACE             (0)
#define MICROPY_PY_DEFLATE_COMPRESS         (1)
