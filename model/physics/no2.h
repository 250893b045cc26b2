/* no2.h — NO2 and ozone at a receptor from a local NOx increment by the
 * ozone-limiting method (OLM; Cole and Summerhays 1979, J. Air Pollut.
 * Control Assoc. 29, 812; as AERMOD's OLM option: U.S. EPA 2015, Technical
 * support document for NO2-related AERMOD modifications, EPA-454/B-15-004,
 * sec. 2.4).
 *
 * Of the local NOx (ug/m3, as NO2), the in-stack part no2_is is NO2 on
 * emission; the rest, emitted as NO, becomes NO2 as far as the ambient
 * ozone lets it (NO + O3 -> NO2 + O2, one mole of O3 per mole of NO2):
 *
 *   NO2 = no2_is + min(nox - no2_is, (46/48) O3)
 *
 * (46 and 48 the molar masses of NO2 and O3, all in ug/m3). The ozone the
 * conversion uses is titrated: O3' = O3 - (48/46) (NO2 - no2_is), never
 * below zero. With full, all the NOx is NO2 and the ozone untouched (the
 * first tier of EPA's NO2 screening). */
#ifndef LT_NO2_H
#define LT_NO2_H

#define LT_MW_NO2 46.0055
#define LT_MW_O3 47.9982

/* NO2 and the ozone left (ug/m3) for a local NOx increment nox (as NO2), its
 * in-stack NO2 no2_is (clamped to [0, nox]) and the background ozone o3 (a
 * negative value counts as 0). */
void lt_no2_olm(double nox, double no2_is, double o3, int full, double *no2, double *o3_left);

#endif
