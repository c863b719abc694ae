# The editdistance user C module, for builds with make (USER_C_MODULES).
EDITDISTANCE_MOD_DIR := $(USERMOD_DIR)

SRC_USERMOD_C += $(EDITDISTANCE_MOD_DIR)/editdistance.c
CFLAGS_USERMOD += -I$(EDITDISTANCE_MOD_DIR)
