#!/usr/bin/env python3
"""The `ecoduty air assess --json` computation written the way an analyst would with pandas/numpy:
read every day file, keep the six input types, melt to long form, groupby for daily values,
numpy for the O3 8-h windows and the IAQI table, groupby again for the annual statistics.

It follows shared/standards/air.md (HJ 633-2012, HJ 663-2013, GB 3095-2012 and the project
conventions) independently of the Rust code, and prints the same JSON fields so that
compare.py can check the two field by field.

usage: baseline.py --input DIR --stations FILE --year YYYY [--regions DIR] [--out FILE]
"""
import argparse
import glob
import json
import os
import sys
import time

import numpy as np
import pandas as pd

INPUTS = ["SO2", "NO2", "PM10", "CO", "O3", "PM2.5"]
DECIMALS = {"SO2": 0, "NO2": 0, "PM10": 0, "CO": 1, "O3": 0, "PM2.5": 0}
ABSURD = {"SO2": 26200, "NO2": 9400, "PM10": 6000, "PM2.5": 5000, "CO": 600, "O3": 12000}
LEVELS = np.array([0, 50, 100, 150, 200, 300, 400, 500], dtype=float)
# HJ 633-2012 Table 1, the columns the daily AQI uses.
BREAKPOINTS = {
    "SO2": [0, 50, 150, 475, 800, 1600, 2100, 2620],
    "NO2": [0, 40, 80, 180, 280, 565, 750, 940],
    "PM10": [0, 50, 150, 250, 350, 420, 500, 600],
    "CO": [0, 2, 4, 14, 24, 36, 48, 60],
    "O3_1h": [0, 160, 200, 300, 400, 800, 1000, 1200],
    "O3_8h": [0, 100, 160, 215, 265, 800],
    "PM2.5": [0, 35, 75, 115, 150, 250, 350, 500],
}
INDICATORS = ["SO2", "NO2", "PM10", "CO", "O3_1h", "O3_8h", "PM2.5"]
STATS = [  # key, indicator, percentile or None (mean)
    ("pm25_mean", "PM2.5", None), ("pm25_p95", "PM2.5", 95),
    ("pm10_mean", "PM10", None), ("pm10_p95", "PM10", 95),
    ("so2_mean", "SO2", None), ("so2_p98", "SO2", 98),
    ("no2_mean", "NO2", None), ("no2_p98", "NO2", 98),
    ("co_p95", "CO", 95), ("o3_8h_p90", "O3_8h", 90),
]
ANNUAL_SERIES = ["SO2", "NO2", "PM10", "CO", "O3_8h", "PM2.5"]


def round_half_even(x, decimals):
    """GB/T 8170 rounding; values within 1e-9 (relative) of a half are halves (see air.md)."""
    x = np.asarray(x, dtype=float)
    scale = 10.0 ** decimals
    y = x * scale
    f = np.floor(y)
    tie = np.abs((y - f) - 0.5) <= 1e-9 * np.maximum(np.abs(y), 1.0)
    even = np.where(np.mod(f, 2) == 0, f, f + 1)
    return np.where(tie, even, np.round(y)) / scale


def iaqi(column, c):
    """IAQI rounded up; NaN for invalid input, and for O3 8-h above 800 (the 1-h value is used)."""
    bp = np.array(BREAKPOINTS[column], dtype=float)
    c = np.asarray(c, dtype=float)
    hi = np.searchsorted(bp, c, side="left")
    hic = np.clip(hi, 1, len(bp) - 1)
    lo = hic - 1
    step = (LEVELS[hic] - LEVELS[lo]) * (c - bp[lo]) / (bp[hic] - bp[lo])
    val = LEVELS[lo] + np.maximum(np.ceil(step - 1e-9), 0)
    val = np.where(hi == 0, 0.0, val)
    beyond = hi >= len(bp)
    val = np.where(beyond, np.nan if column == "O3_8h" else 500.0, val)
    return np.where(np.isnan(c), np.nan, val)


def read_long(input_dir, year, station_codes):
    frames = []
    report = {"negative": 0, "non_numeric": 0, "absurd": 0, "unknown_station_values": 0}
    files = sorted(glob.glob(os.path.join(input_dir, f"china_sites_{year}????.csv")))
    for path in files:
        df = pd.read_csv(path, dtype={"date": str, "hour": "int8", "type": str},
                         keep_default_na=False, na_values=[""])
        df = df[df["type"].isin(INPUTS)]
        long = df.melt(id_vars=["date", "hour", "type"], var_name="station", value_name="raw")
        long = long[long["raw"].notna()]
        unknown = ~long["station"].isin(station_codes)
        report["unknown_station_values"] += int(unknown.sum())
        long = long[~unknown]
        value = pd.to_numeric(long["raw"], errors="coerce")
        report["non_numeric"] += int(value.isna().sum())
        frames.append(pd.DataFrame({
            "date": long["date"].to_numpy(), "hour": long["hour"].to_numpy(),
            "type": long["type"].to_numpy(), "station": long["station"].to_numpy(),
            "value": value.to_numpy(dtype=float)}))
    data = pd.concat(frames, ignore_index=True)
    data["station"] = data["station"].astype("category")
    data["type"] = data["type"].astype("category")
    data["date"] = pd.to_datetime(data["date"], format="%Y%m%d")
    absurd = data["type"].map(ABSURD).astype(float)
    neg = data["value"] < 0
    big = data["value"] > absurd
    report["negative"] += int(neg.sum())
    report["absurd"] += int(big.sum())
    data = data[data["value"].notna() & ~neg & ~big]
    return data, report, len(files)


def daily_values(hourly, key, days):
    """Daily rounded values of the 7 indicators per (entity, date) from long hourly data."""
    out = {}
    means = hourly[hourly["type"] != "O3"].groupby([key, "type", "date"], observed=True)["value"].agg(["mean", "count"])
    means = means[means["count"] >= 20]["mean"].unstack("type")
    for p in ["SO2", "NO2", "PM10", "CO", "PM2.5"]:
        col = means[p] if p in means else pd.Series(dtype=float)
        out[p] = pd.Series(round_half_even(col.to_numpy(), DECIMALS[p]), index=col.index)
    o3 = hourly[hourly["type"] == "O3"]
    wide = o3.pivot_table(index=[key, "date"], columns="hour", values="value", aggfunc="mean", observed=True)
    wide = wide.reindex(columns=range(24))
    a = wide.to_numpy()
    valid = ~np.isnan(a)
    n_valid = valid.sum(axis=1)
    max1 = np.where(n_valid >= 20, np.nanmax(np.where(valid, a, -np.inf), axis=1), np.nan)
    out["O3_1h"] = pd.Series(round_half_even(max1, 0), index=wide.index)
    # 8-h windows ending at hour labels 7 … 23 (within the day).
    filled = np.where(valid, a, 0.0)
    csum = np.concatenate([np.zeros((len(a), 1)), np.cumsum(filled, axis=1)], axis=1)
    ccnt = np.concatenate([np.zeros((len(a), 1)), np.cumsum(valid, axis=1)], axis=1)
    ends = np.arange(7, 24)
    wsum = csum[:, ends + 1] - csum[:, ends - 7]
    wcnt = ccnt[:, ends + 1] - ccnt[:, ends - 7]
    with np.errstate(invalid="ignore", divide="ignore"):
        wmean = np.where(wcnt >= 6, wsum / wcnt, np.nan)
    nwin = (wcnt >= 6).sum(axis=1)
    max8 = np.where(nwin >= 14, np.nanmax(np.where(np.isnan(wmean), -np.inf, wmean), axis=1), np.nan)
    out["O3_8h"] = pd.Series(round_half_even(max8, 0), index=wide.index)
    daily = pd.DataFrame(out).reindex(columns=INDICATORS)
    return daily


def day_aqi(daily):
    iaqis = pd.DataFrame({ind: iaqi(ind, daily[ind].to_numpy()) for ind in INDICATORS}, index=daily.index)
    all_valid = daily[INDICATORS].notna().all(axis=1)
    aqi = iaqis.max(axis=1, skipna=True).where(all_valid)
    return aqi


def annual(daily, aqi, key):
    rows = {}
    d = daily.copy()
    d["aqi"] = aqi
    d = d.reset_index()
    d["month"] = d["date"].dt.month
    for entity, g in d.groupby(key, observed=True):
        r = {}
        v = g["aqi"].dropna()
        r["valid_days"] = int(len(v))
        for name, ind, p in STATS:
            x = g[ind].dropna().to_numpy()
            if len(x) == 0:
                r[name] = None
                continue
            raw = x.mean() if p is None else np.percentile(x, p)
            val = float(round_half_even(raw, DECIMALS["O3" if ind.startswith("O3") else ind]))
            r[name] = int(val) if DECIMALS.get(ind, 0) == 0 else val
        r["good_days"] = int((v <= 100).sum())
        r["good_day_ratio"] = (float(round_half_even(r["good_days"] / len(v) * 100, 1)) if len(v) else None)
        r["heavy_days"] = int((v > 200).sum())
        parts = [r["so2_mean"], r["no2_mean"], r["pm10_mean"], r["pm25_mean"], r["co_p95"], r["o3_8h_p90"]]
        if any(x is None for x in parts):
            r["composite_index"] = None
        else:
            ci = parts[0] / 60 + parts[1] / 40 + parts[2] / 70 + parts[3] / 35 + parts[4] / 4 + parts[5] / 160
            r["composite_index"] = float(round_half_even(ci, 2))
        ok = True
        for ind in ANNUAL_SERIES:
            counts = g[g[ind].notna()].groupby("month").size().reindex(range(1, 13), fill_value=0)
            need = np.array([27, 25] + [27] * 10)
            ok = ok and counts.sum() >= 324 and bool((counts.to_numpy() >= need).all())
        r["annual_valid"] = bool(ok)
        rows[entity] = r
    return rows


def load_regions(regions_dir):
    pref, county, names = {}, {}, {}
    prov = pd.read_csv(os.path.join(regions_dir, "provinces.csv"), dtype=str)
    for code, name in zip(prov["code"], prov["name"]):
        if name.endswith("市"):
            pref.setdefault(name, set()).add(code + "0000")
    cities = pd.read_csv(os.path.join(regions_dir, "cities.csv"), dtype=str)
    for code, name in zip(cities["code"], cities["name"]):
        if name not in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            pref.setdefault(name, set()).add(code + "00")
    areas = pd.read_csv(os.path.join(regions_dir, "areas.csv"), dtype=str)
    for code, name in zip(areas["code"], areas["name"]):
        county.setdefault(name, set()).add(code)
    return pref, county


def resolve(city, pref, county, overrides):
    if city in overrides:
        return overrides[city]
    for names in ([city], [city + s for s in ("市", "地区", "盟", "州")]):
        for table in (pref, county):
            found = set()
            for n in names:
                found |= table.get(n, set())
            if len(found) == 1:
                return found.pop()
            if len(found) > 1:
                sys.exit(f"city {city} is ambiguous: {sorted(found)}")
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--stations", required=True)
    ap.add_argument("--year", type=int, required=True)
    ap.add_argument("--regions", default=os.path.join(os.path.dirname(__file__), "..", "..", "data", "regions"))
    ap.add_argument("--city-map")
    ap.add_argument("--out")
    args = ap.parse_args()
    t0 = time.time()

    st = pd.read_csv(args.stations, dtype=str, encoding="utf-8-sig")
    st = st.rename(columns={"监测点编码": "station", "监测点名称": "name", "城市": "city"})
    codes = set(st["station"])
    hourly, report, nfiles = read_long(args.input, args.year, codes)
    t1 = time.time()
    days = pd.date_range(f"{args.year}-01-01", f"{args.year}-12-31")

    hourly["city"] = hourly["station"].map(dict(zip(st["station"], st["city"]))).astype("category")
    s_daily = daily_values(hourly, "station", days)
    s_annual = annual(s_daily, day_aqi(s_daily), "station")
    city_hourly = hourly.groupby(["city", "type", "date", "hour"], observed=True)["value"].mean().reset_index()
    c_daily = daily_values(city_hourly, "city", days)
    c_annual = annual(c_daily, day_aqi(c_daily), "city")
    t2 = time.time()

    pref, county = load_regions(args.regions)
    overrides = {}
    if args.city_map:
        m = pd.read_csv(args.city_map, dtype=str, encoding="utf-8-sig")
        overrides = dict(zip(m["城市"], m["区划代码"]))
    region = {c: resolve(c, pref, county, overrides) for c in st["city"].unique()}
    n_listed = st.groupby("city").size()
    present = set(hourly["station"].astype(str).unique())
    cities = []
    for city in st["city"].unique():
        members = [s for s in st.loc[st["city"] == city, "station"] if s in present]
        if not members:
            continue
        r = c_annual.get(city) or annual_empty()
        cities.append(dict({"city": city, "region_code": region[city], "stations": int(n_listed[city])}, **r))
    cities.sort(key=lambda c: (c["region_code"] is None, c["region_code"] or "", c["city"]))
    stations = []
    for _, row in st.sort_values("station").iterrows():
        if row["station"] not in present:
            continue
        r = s_annual.get(row["station"]) or annual_empty()
        stations.append(dict({"station": row["station"], "region_code": region[row["city"]], "stations": 1}, **r))
    out = {"year": args.year, "cities": cities, "stations": stations,
           "invalid_values": {k: report[k] for k in ("negative", "non_numeric", "absurd")}}
    text = json.dumps(out, ensure_ascii=False)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    else:
        print(text)
    print(f"baseline: read+melt {t1 - t0:.1f} s ({nfiles} files, {len(hourly)} valid values), "
          f"compute {t2 - t1:.1f} s, total {time.time() - t0:.1f} s", file=sys.stderr)


def annual_empty():
    r = {"valid_days": 0}
    for name, _, _ in STATS:
        r[name] = None
    r.update(good_days=0, good_day_ratio=None, heavy_days=0, composite_index=None, annual_valid=False)
    return r


if __name__ == "__main__":
    main()
