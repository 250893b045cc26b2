/* init_cmd.h — `lantian init`: a runnable case skeleton for another city. */
#ifndef LT_INIT_CMD_H
#define LT_INIT_CMD_H

/* argv[1] is "init"; writes the case, prints what it wrote or the one error
 * line; returns the exit code. */
int lt_init_command(int argc, char **argv);

#endif
