/* config.h — the run configuration: an INI file (libinih) plus --set overrides.
 *
 * Every key lantian knows is listed in config.c with its default; an unknown
 * section or key is an error, so a typo never falls back to a default. */
#ifndef LT_CONFIG_H
#define LT_CONFIG_H

#include "physics/chem.h"
#include "core/lt_error.h"
#include "core/lt_time.h"

#define LT_PATH_MAX 1024
#define LT_MAX_SECTORS 16
#define LT_MAX_SOURCE_TAGS 16  /* sources given a tag of their own ([output] sources) */
#define LT_MAX_TAGS (LT_MAX_SECTORS + LT_MAX_SOURCE_TAGS + 1) /* sectors, own sources, background */
#define LT_NAME_MAX 32

#define LT_MAX_SCENARIOS 32

/* Layouts of a gridded inventory. */
enum { LT_GRIDDED_NONE = 0, LT_GRIDDED_MEIC = 1, LT_GRIDDED_CF = 2 };

/* Averaging of an output variable over time. */
enum { LT_AVG_HOUR = 0, LT_AVG_DAY = 1, LT_AVG_PERIOD = 2 };

/* [solver] method. */
enum { LT_SOLVER_PLUME = 0, LT_SOLVER_GRID = 1, LT_SOLVER_HYBRID = 2 };
#define LT_SOLVER_MAX_LAYERS 32
#define LT_MAX_SCEN_ENTRIES 128
/* [optimize] mode */
enum { LT_OPT_ANNUAL = 0, LT_OPT_EMERGENCY = 1 };
#define LT_OPT_MAX_SWEEP 64

/* One key of a [scenario.NAME] section, kept as written; scenario.c reads it. */
typedef struct lt_scen_entry {
    char scenario[LT_NAME_MAX];
    char key[16];      /* description, level, alert or cut */
    char value[512];
    char where[LT_PATH_MAX + 64]; /* "file:line" or "--set ..." for messages */
} lt_scen_entry;

typedef struct lt_config {
    char path[LT_PATH_MAX];        /* the config file as given */
    /* [run] */
    double start_s;                /* seconds since 1970-01-01T00:00:00Z */
    char start_iso[32];            /* as written, normalised to ...Z */
    int hours;
    int checkpoint_hours;          /* 0: none; else a checkpoint every so many hours */
    /* [domain] */
    double center_lon, center_lat;
    int nx, ny;
    double dx_m;
    char counties_file[LT_PATH_MAX];  /* GeoJSON regions (empty: none) */
    char county_property[LT_NAME_MAX];
    /* [met] */
    char met_file[8192];           /* a CF file, or wrfout files separated by commas */
    int met_format;                /* LT_MET_CF, _WRF, _STATION or _AERMET (met.h) */
    char met_variables[1024];      /* "lantian:file[:factor], ..." for CF files */
    double wind_height_m;          /* height of the met file's wind, m */
    char met_profile[LT_PATH_MAX]; /* AERMET's .PFL (empty: none) */
    double met_station_lon, met_station_lat; /* format = station: where (NaN: not given) */
    double met_utc_offset_h;       /* local time of station/AERMET stamps without a zone (NaN: not given) */
    double met_albedo, met_bowen, met_theta_gradient; /* the preprocessor's surface */
    double met_max_gap_h;          /* records farther apart are not interpolated */
    /* [sources] */
    char points_file[LT_PATH_MAX];
    char sectors[LT_MAX_SECTORS][LT_NAME_MAX];
    int nsectors;
    double margin_km;
    char profiles_file[LT_PATH_MAX];   /* temporal profiles (empty: flat) */
    char hourly_file[LT_PATH_MAX];     /* hourly stack emissions (empty: none) */
    char volumes_file[LT_PATH_MAX];    /* volume sources (empty: none) */
    char areas_file[LT_PATH_MAX];      /* area sources (empty: none) */
    char roads_file[LT_PATH_MAX];      /* roads (empty: none) */
    double utc_offset_h;               /* local time of the profiles */
    /* [gridded] area emissions (layout none: no file) */
    int gridded_layout;                /* LT_GRIDDED_* */
    char gridded_path[LT_PATH_MAX];
    char gridded_sectors[512];         /* "file_sector:lantian_sector, ..." */
    char gridded_species[512];         /* "file_species:lantian_species[:g_per_mol], ..." */
    int gridded_year;                  /* MEIC files of this year (0: the run's year) */
    char gridded_vertical[LT_PATH_MAX];/* CSV sector,height_m,fraction (empty: defaults) */
    /* [background] (empty file: none) */
    char background_file[LT_PATH_MAX];
    char background_name[LT_NAME_MAX];
    /* [background] from_observations: observations (file or folder) and the
     * stations (codes or ids, comma-separated) the background is derived at */
    char bg_obs_path[LT_PATH_MAX];
    char bg_obs_stations[1024];
    char tag_sources[LT_MAX_SOURCE_TAGS][LT_NAME_MAX]; /* [output] sources: ids given their own tag */
    int ntag_sources;
    /* [receptors] */
    char stations_file[LT_PATH_MAX];
    double receptor_height_m;
    /* [dispersion] */
    char curves[LT_NAME_MAX];
    double z0_m;
    int calm_minwind;              /* calm = minwind: 0.5 m/s instead of skipping */
    int meander;                   /* calm = meander: AERMOD's meander in every hour */
    int stack_wind_profile;        /* stack_wind = profile (else isc3) */
    double sigma_v_min_ms;         /* meander: the least lateral turbulence, m/s */
    double meander_time_s;         /* meander: the time scale of the random part, s */
    int stability_turner;          /* stability = turner (else golder, from 1/L) */
    int bid;                       /* buoyancy-induced dispersion on/off */
    /* [assessment] (empty paths: no daily assessment / no alerts) */
    char aqi_rules[LT_PATH_MAX];
    char alert_rules[LT_PATH_MAX];
    char measures_file[LT_PATH_MAX];  /* emergency measures per level and grade */
    char targets_file[LT_PATH_MAX];   /* the plan's targets per county and city */
    int alert_lead_hours;
    /* [chemistry] */
    int secondary;                 /* secondary PM2.5 in the plume on/off */
    /* NO2 at the stations from the sources' NOx: the ozone-limiting method
     * (no2_full = 0) or all NOx as NO2 (1), and the in-stack NO2/NOx ratio of
     * sources without their own (policy/no2.h). */
    int no2_full;
    double no2_ratio;
    lt_chem_params chem;
    /* [solver] */
    int solver;                    /* LT_SOLVER_* */
    int grid_coarsen;              /* grid-model column = coarsen x coarsen receptor cells */
    int grid_nz;
    double grid_top_m[LT_SOLVER_MAX_LAYERS];
    double grid_kz_min;            /* m2/s */
    double grid_kh;                /* m2/s, horizontal (0: none) */
    int grid_winds_aloft;          /* 1: each layer's wind from the met file's winds aloft when it has them */
    double grid_cfl;
    int zero_out;                  /* brute force beside the tags */
    /* [output] */
    char output_file[LT_PATH_MAX];
    int average_src, average_county, average_components; /* LT_AVG_* */
    int deflate;
    int significant_digits;        /* 0: keep full float precision */
    /* [optimize] (lantian optimize) */
    int opt_mode;                  /* LT_OPT_ANNUAL or LT_OPT_EMERGENCY */
    char opt_costs[LT_PATH_MAX];   /* cost segments per sector, county and grade (empty: none) */
    char opt_emg_costs[LT_PATH_MAX]; /* emergency: costs and ranges of each enterprise's measures */
    int opt_max_stopped;           /* emergency: enterprises stopped per county and day at most (-1: any) */
    char opt_targets[LT_PATH_MAX]; /* the targets (default: [assessment] targets) */
    int opt_nsweep;                /* good_day_targets: the cost curve's city good-day targets */
    double opt_sweep[LT_OPT_MAX_SWEEP];
    char opt_curve[64];            /* the unit of the cost curve: "city" or a county */
    double opt_max_daily_pm25;     /* emergency: bound on each alert day's PM2.5 (NaN: none) */
    double opt_time_limit_s, opt_mip_gap;
    double opt_pm25_eq[5];         /* weights of PM2.5, SO2, NOx, NH3, VOC in a PM2.5-equivalent tonne */
    /* [scenario.NAME] sections, in the order written. */
    lt_scen_entry *scen;
    int nscen;
    /* The resolved configuration as INI text, for the output's metadata. */
    char *text;
} lt_config;

/* Reads path, applies the "section.key=value" overrides in sets[0..nsets),
 * validates every value. On failure err names the file and line (or the
 * --set argument), the key, the value and what was expected. */
int lt_config_load(lt_config *cfg, const char *path, const char *const *sets, int nsets,
                   lt_error *err);

void lt_config_free(lt_config *cfg);

/* libinih reads lines of at most this many characters. */
#define LT_INI_MAX_LINE 196

/* The line of the nth (0-based) "key = ..." in [section] of the INI file
 * path, or 0: libinih gives handlers no line numbers, messages need them. */
int lt_ini_key_line(const char *path, const char *section, const char *key, int nth);

/* Fails naming the first line of path longer than LT_INI_MAX_LINE. */
int lt_ini_check_lines(const char *path, lt_error *err);


/* Index of name in cfg's sector list, or -1. */
int lt_config_sector_index(const lt_config *cfg, const char *name);

#endif
