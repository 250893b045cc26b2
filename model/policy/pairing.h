/* pairing.h — a run held against the monitors: stations matched, model and
 * observation paired by hour and by day, statistics per station, county,
 * city and for all stations, categorical skill on days, and scenarios
 * anchored to the observations by relative response factors.
 *
 * Pairing: the model's hour [t, t + 1 h) (UTC) meets the observation whose
 * hour starts at t (the readers turn CNEMC's hour-ending CST stamps into
 * hour starts). Days are China Standard Time calendar days; the model's day
 * is the mean of its hours when at least min_hours of them are in the run,
 * the observed day the network's published daily mean or the mean of at
 * least min_hours observed hours (io/obs.h). County, city and "all" pool
 * the pairs of their stations. */
#ifndef LT_PAIRING_H
#define LT_PAIRING_H

#include <stddef.h>

#include "core/lt_error.h"
#include "io/obs.h"
#include "io/runseries.h"
#include "policy/alert.h"
#include "policy/aqi.h"
#include "policy/evaluate.h"

#define LT_EV_NAME 64

typedef struct lt_eval_opts {
    double match_km;              /* nearest-station fallback distance (0: codes only) */
    int min_hours;                /* hours for a valid day (GB 3095-2012: 20) */
    const lt_aqi_table *aqi;      /* for the categorical skill and the good days */
    const lt_alert_rules *alerts; /* may be NULL: no alert-day agreement */
    unsigned pollutants;          /* bit mask of LT_OBS_* to evaluate */
} lt_eval_opts;

typedef struct lt_eval_row {
    int pollutant;                /* LT_OBS_* */
    int daily;                    /* averaging: 0 hour, 1 day */
    char level[8];                /* station, county, city, all */
    char name[LT_EV_NAME];
    lt_eval_stats s;
} lt_eval_row;

/* Daily categorical skill of one station or group (PM2.5 AQI). */
typedef struct lt_eval_cat {
    char level[8];
    char name[LT_EV_NAME];
    size_t ndays, cat_hits;       /* days paired; with the same AQI category */
    lt_contingency heavy;         /* AQI > 200 */
    lt_contingency alert;         /* any alert level, rules applied to the daily AQI */
} lt_eval_cat;

/* A scenario anchored to the observations at one station (or the city). */
typedef struct lt_eval_rrf {
    char scenario[LT_EV_NAME];
    char level[8];                /* station or all */
    char name[LT_EV_NAME];
    size_t ndays;                 /* days with an observation and both model days */
    double obs_mean, base_mean, scen_mean, rrf, anchored_mean;
    int good_obs, good_anchored, good_base, good_scen;   /* days with AQI <= 100 */
} lt_eval_rrf;

typedef struct lt_eval_match {
    long obs;                     /* observation station, -1 none */
    int by_code;                  /* 1 by code, 0 by distance */
    double km;                    /* distance to the observation station */
} lt_eval_match;

/* One model-observation pair. */
typedef struct lt_eval_pair {
    size_t station;               /* index among the run's stations */
    int daily;
    double t_s;                   /* start of the hour or of the CST day, UTC s */
    double obs, mod;
} lt_eval_pair;

typedef struct lt_evaluation {
    lt_eval_pair *pairs;          /* every PM2.5 pair, hourly then daily */
    size_t npairs;
    char (*station_id)[LT_EV_NAME];  /* [run stations], for the pairs table */
    lt_eval_row *rows;
    size_t nrows;
    lt_eval_cat *cats;
    size_t ncats;
    lt_eval_rrf *rrf;
    size_t nrrf;
    lt_eval_match *match;         /* [run stations] */
    size_t matched, obs_unmatched;   /* run stations with observations; observation stations not in the run */
    size_t hours_paired, days_paired;  /* PM2.5 station-hours and station-days */
    double run_first, run_last, obs_first, obs_last;  /* hour starts, UTC s */
    int categorical_from;         /* the pollutant of the categorical rows */
} lt_evaluation;

/* Matches, pairs and computes everything above. The periods not
 * overlapping, no station matched, or a pollutant asked that the run does
 * not model is an error saying which. */
int lt_evaluate(const lt_run_series *rs, const lt_obs *obs, const lt_eval_opts *o, lt_evaluation *ev,
                lt_error *err);

/* Writes csv (columns pollutant,averaging,level,name,n,obs_mean,mod_mean,
 * mb,nmb,nme,mfb,mfe,rmse,r,ioa,fac2) and beside it, with the same stem,
 * _categorical.csv, _pairs.csv (station,averaging,time,obs,model; time the
 * start of the hour or CST day, UTC) and (when the run has scenarios)
 * _rrf.csv; each through
 * a temporary file renamed at the end. Undefined statistics are empty. */
int lt_evaluation_write(const lt_evaluation *ev, const char *csv, lt_error *err);

void lt_evaluation_free(lt_evaluation *ev);

/* After an episode (the plan's 措施效果评估): the run's scenario `measures` is
 * what was actually applied. Over the samples with an observation (daily
 * means when there are daily pairs, else hours), per station and for all
 * stations pooled: the observed mean, the modelled mean without the measures
 * (the baseline) and with them, the measures' effect (without - with) in
 * ug m-3 and % of without; per source tag (sector) the effect's all-station
 * mean. With other (a run of the same baseline emissions over another
 * period, paired with the same observations), the change between the periods
 * split: observed change = this - other observed; weather part = this - other
 * baseline modelled (same emissions, the two periods' weather); emissions part
 * = observed change - weather part. */
typedef struct lt_episode_row {
    char level[8];
    char name[LT_EV_NAME];
    size_t n, n_other;
    double obs, without, with, effect, effect_pct;
    double other_obs, other_without, d_obs, d_weather, d_emissions;  /* NaN without other */
} lt_episode_row;

typedef struct lt_episode {
    int daily;                    /* the samples: 1 days, 0 hours */
    char scenario[LT_EV_NAME];
    lt_episode_row *rows;
    size_t nrows;
    size_t ntag;
    char (*tag)[LT_EV_NAME];
    double *tag_effect;           /* [ntag] all-station mean effect, ug m-3 */
    int compared;
} lt_episode;

int lt_episode_assess(const lt_run_series *rs, const lt_run_series *other, const lt_obs *obs,
                      const lt_evaluation *ev, const char *measures, int min_hours, lt_episode *ep, lt_error *err);
/* Writes csv (columns kind,name,samples,obs_mean,model_without,model_with,effect,effect_pct,
 * other_samples,other_obs_mean,other_model_without,change_obs,change_weather,change_emissions;
 * kind station, all or sector) through a temporary file. */
int lt_episode_write(const lt_episode *ep, const char *csv, lt_error *err);
void lt_episode_free(lt_episode *ep);

#endif
