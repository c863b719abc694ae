// The minimal variant: the core language and nothing more, for the smallest
// image. Python semantics are kept (double-precision floats,
// arbitrary-precision integers); the optional language extras, the optional
// built-in modules and frozen code are left out. Only builtins, sys,
// micropython and host can be imported. Tracebacks keep their line numbers.
#define MICROPY_CONFIG_ROM_LEVEL            (MICROPY_CONFIG_ROM_LEVEL_CORE_FEATURES)
#define MICROPY_FLOAT_IMPL                  (MICROPY_FLOAT_IMPL_DOUBLE)
#define MICROPY_LONGINT_IMPL                (MICROPY_LONGINT_IMPL_MPZ)
#define MICROPY_ERROR_REPORTING             (MICROPY_ERROR_REPORTING_NORMAL)
#define MICROPY_ENABLE_SOURCE_LINE          (1)
#define MICROPY_PY_SYS_SETTRACE             (0)
