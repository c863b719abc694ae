// The full variant: the standard variant plus every language feature and
// every extmod module that makes sense without hardware or network access
// (see mpconfigvariant.cmake for the module list).
#define MICROPY_CONFIG_ROM_LEVEL            (MICROPY_CONFIG_ROM_LEVEL_EVERYTHING)

#include "../mpconfigvariant_common.h"
