//! A patrol's GPS track: a GeoJSON LineString of longitude/latitude positions, checked and
//! bounded in size (at most [`MAX_POINTS`] positions and [`MAX_BYTES`] of text), with its
//! length along the ground.

use serde_json::Value;

pub const MAX_POINTS: usize = 5_000;
pub const MAX_BYTES: usize = 256 * 1024;

/// A checked track.
#[derive(Debug, Clone, PartialEq)]
pub struct Track {
    pub points: Vec<(f64, f64)>,
}

impl Track {
    /// Reads a GeoJSON LineString (bare, or as a Feature's geometry).
    pub fn parse(text: &str) -> Result<Track, String> {
        if text.len() > MAX_BYTES {
            return Err(format!(
                "the track is {} bytes; at most {MAX_BYTES} are accepted",
                text.len()
            ));
        }
        let v: Value =
            serde_json::from_str(text).map_err(|e| format!("the track is not JSON: {e}"))?;
        let geometry = match v.get("type").and_then(Value::as_str) {
            Some("Feature") => v
                .get("geometry")
                .ok_or("a Feature without a geometry")?
                .clone(),
            _ => v,
        };
        match geometry.get("type").and_then(Value::as_str) {
            Some("LineString") => {}
            Some(t) => return Err(format!("the track is a {t}; a LineString is expected")),
            None => return Err("the track has no GeoJSON type".into()),
        }
        let coords = geometry
            .get("coordinates")
            .and_then(Value::as_array)
            .ok_or("the LineString has no coordinates array")?;
        if coords.len() < 2 {
            return Err("a LineString needs at least two positions".into());
        }
        if coords.len() > MAX_POINTS {
            return Err(format!(
                "the track has {} positions; at most {MAX_POINTS} are accepted",
                coords.len()
            ));
        }
        let mut points = Vec::with_capacity(coords.len());
        for (i, c) in coords.iter().enumerate() {
            let pos = c.as_array().filter(|a| a.len() >= 2 && a.len() <= 3);
            let (lon, lat) = match pos.map(|a| (a[0].as_f64(), a[1].as_f64())) {
                Some((Some(x), Some(y))) => (x, y),
                _ => return Err(format!("position {i} is not [longitude, latitude]")),
            };
            if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
                return Err(format!(
                    "position {i} ({lon}, {lat}) is outside longitude/latitude range"
                ));
            }
            points.push((lon, lat));
        }
        Ok(Track { points })
    }

    /// Length in metres along the great circle between positions (haversine, mean earth radius).
    pub fn metres(&self) -> f64 {
        const R: f64 = 6_371_008.8;
        self.points
            .windows(2)
            .map(|w| {
                let (l1, p1) = (w[0].0.to_radians(), w[0].1.to_radians());
                let (l2, p2) = (w[1].0.to_radians(), w[1].1.to_radians());
                let a = ((p2 - p1) / 2.0).sin().powi(2)
                    + p1.cos() * p2.cos() * ((l2 - l1) / 2.0).sin().powi(2);
                2.0 * R * a.sqrt().asin()
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracks_are_checked_and_measured() {
        let t = Track::parse(r#"{"type":"LineString","coordinates":[[113.0,35.0],[113.0,35.01]]}"#)
            .unwrap();
        // 0.01° of latitude is about 1112 m.
        assert!((t.metres() - 1112.0).abs() < 2.0, "{}", t.metres());
        let f = r#"{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[113,35],[113.01,35]]}}"#;
        assert_eq!(Track::parse(f).unwrap().points.len(), 2);
        assert!(Track::parse(r#"{"type":"Point","coordinates":[113,35]}"#)
            .unwrap_err()
            .contains("Point"));
        assert!(Track::parse(r#"{"type":"LineString","coordinates":[[113,35]]}"#).is_err());
        assert!(
            Track::parse(r#"{"type":"LineString","coordinates":[[113,35],[200,35]]}"#)
                .unwrap_err()
                .contains("position 1")
        );
        let many: Vec<String> = (0..=MAX_POINTS)
            .map(|i| format!("[113,{}]", 30.0 + i as f64 * 1e-4))
            .collect();
        let big = format!(
            r#"{{"type":"LineString","coordinates":[{}]}}"#,
            many.join(",")
        );
        assert!(Track::parse(&big).unwrap_err().contains("at most"));
        assert!(Track::parse("not json").is_err());
    }
}
