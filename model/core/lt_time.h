/* lt_time.h — times as lantian reads and writes them: ISO 8601 UTC stamps,
 * seconds since 1970-01-01T00:00:00Z inside, and local calendar days (China
 * Standard Time for the assessments) as offsets from UTC. */
#ifndef LT_TIME_H
#define LT_TIME_H

/* Parses "YYYY-MM-DDTHH:MM:SSZ" into seconds since the epoch; 0 on success. */
int lt_parse_iso8601(const char *s, double *t_s);

/* Parses the times station tables write: "YYYY-MM-DD[T ]hh:mm[:ss]" with a
 * zone (Z, +08:00, +0800, -05) or without one, then taken as local time at
 * utc_offset_h (NaN: a zone is required). 0 on success, -1 when malformed,
 * -2 when the zone is missing and utc_offset_h is NaN. */
int lt_parse_time_zoned(const char *s, double utc_offset_h, double *t_s);

/* Local calendar days (UTC + utc_offset_h): the start, in UTC seconds, of
 * the day holding t_s; and the index of the day holding t_s, counted from the
 * day that starts at day0_s. */
double lt_local_day_start(double t_s, double utc_offset_h);
long lt_local_day_index(double t_s, double day0_s);

/* Writes t_s as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes). */
void lt_format_iso8601(double t_s, char *buf, int n);

#endif
