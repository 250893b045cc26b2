"""Model-evaluation statistics of Chang & Hanna (2004), Meteorol. Atmos. Phys. 87:167-196.

Co observed, Cp predicted, paired; an overbar is the mean over the pairs.
  FB   = (mean Co - mean Cp) / (0.5 (mean Co + mean Cp))     > 0: model under-predicts
  NMSE = mean((Co - Cp)^2) / (mean Co * mean Cp)
  MG   = exp(mean ln Co - mean ln Cp)
  VG   = exp(mean (ln Co - ln Cp)^2)                          a mean square, not a variance
  FAC2 = fraction of pairs with 0.5 <= Cp/Co <= 2
  NAD  = mean|Co - Cp| / (mean Co + mean Cp)
The logarithmic measures (MG, VG) need a floor: values below `floor` are raised to it.
"""
import math


def stats(obs, pred, floor=None):
    """The six measures for paired lists obs, pred (same length, > 0 after the floor)."""
    if len(obs) != len(pred) or not obs:
        raise ValueError("stats: expected two non-empty lists of the same length")
    n = len(obs)
    mo = sum(obs) / n
    mp = sum(pred) / n
    lo = [math.log(max(o, floor) if floor else o) for o in obs]
    lp = [math.log(max(p, floor) if floor else p) for p in pred]
    fac2 = sum(1 for o, p in zip(obs, pred) if o > 0 and 0.5 <= p / o <= 2.0) / n
    return {
        "n": n,
        "FB": (mo - mp) / (0.5 * (mo + mp)),
        "NMSE": sum((o - p) ** 2 for o, p in zip(obs, pred)) / n / (mo * mp) if mo * mp > 0 else math.inf,
        "MG": math.exp(sum(lo) / n - sum(lp) / n),
        "VG": math.exp(sum((a - b) ** 2 for a, b in zip(lo, lp)) / n),
        "FAC2": fac2,
        "NAD": sum(abs(o - p) for o, p in zip(obs, pred)) / n / (mo + mp),
    }
