/* export_cmd.h — `lantian export`: a run's output as GeoTIFF or GeoJSON. */
#ifndef LT_EXPORT_CMD_H
#define LT_EXPORT_CMD_H

/* argv[1] is "export"; prints what it wrote or the one error line; returns
 * the exit code. */
int lt_export_command(int argc, char **argv);

#endif
