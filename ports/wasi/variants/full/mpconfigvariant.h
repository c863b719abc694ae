// The full variant: the standard variant plus every language feature and
// every extmod module that makes sense without hardware or network access
// (see mpconfigvariant.cmake for the module list).
#define MICROPY_CONFIG_ROM_LEVEL            (MICROPY_CONFIG_ROM_LEVEL_EVERYTHING)
#define MICROPY_FLOAT_IMPL                  (MICROPY_FLOAT_IMPL_DOUBLE)
#define MICROPY_LONGINT_IMPL                (MICROPY_LONGINT_IMPL_MPZ)
#define MICROPY_ERROR_REPORTING             (MICROPY_ERROR_REPORTING_DETAILED)
#define MICROPY_WARNINGS                    (1)
#define MICROPY_PY_GC_COLLECT_RETVAL        (1)
// sys.settrace slows every bytecode down; the sandbox has no debugger for it.
#define MICROPY_PY_SYS_SETTRACE             (0)
#define MICROPY_PY_DEFLATE_COMPRESS         (1)
