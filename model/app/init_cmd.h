/* init_cmd.h — `lantian init`: a runnable case skeleton for another city. */
#ifndef LT_INIT_CMD_H
#define LT_INIT_CMD_H

#include <stddef.h>

/* argv[1] is "init"; writes the case, prints what it wrote or the one error
 * line; returns the exit code. */
int lt_init_command(int argc, char **argv);

/* The folder of the policy files shipped with lantian into out: beside the
 * build (REPO/inputs/policy for REPO/build/lantian) or installed
 * (PREFIX/share/lantian/inputs/policy); 1 when found. */
int lt_find_policy(char *out, size_t n);

#endif
