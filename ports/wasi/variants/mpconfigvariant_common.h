// Settings of the variants that carry the standard library (standard, full),
// included by their mpconfigvariant.h (as upstream's unix port does): Python
// semantics and CPython-style errors for the code people and LLMs write.
#define MICROPY_FLOAT_IMPL                  (MICROPY_FLOAT_IMPL_DOUBLE)
#define MICROPY_LONGINT_IMPL                (MICROPY_LONGINT_IMPL_MPZ)
#define MICROPY_ERROR_REPORTING             (MICROPY_ERROR_REPORTING_DETAILED)
#define MICROPY_WARNINGS                    (1)
#define MICROPY_PY_GC_COLLECT_RETVAL        (1)
// sys.settrace slows every bytecode down; the sandbox has no debugger for it.
#define MICROPY_PY_SYS_SETTRACE             (0)
#define MICROPY_PY_DEFLATE_COMPRESS         (1)
