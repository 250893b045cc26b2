/* evaluate_cmd.h — `lantian evaluate`: a run against monitoring observations. */
#ifndef LT_EVALUATE_CMD_H
#define LT_EVALUATE_CMD_H

/* argv[1] is "evaluate"; prints the evaluation or the one error line, writes
 * RUN_evaluation.csv and its companions; returns the exit code. */
int lt_evaluate_command(int argc, char **argv);

#endif
