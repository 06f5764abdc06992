//! A control unit's boundary: a GeoJSON Polygon or MultiPolygon (a Feature holding one is
//! read too), in longitude/latitude (CGCS2000 or WGS 84; the two differ by centimetres), checked
//! and bounded in size, and the point-in-polygon test a project check uses.
//!
//! Written by hand rather than with a geometry crate: the test needed is the even–odd ray
//! crossing over the rings of each polygon (holes included), nothing more.

use serde_json::Value;

/// The most vertices a boundary may have, all rings together.
pub const MAX_VERTICES: usize = 5_000;
/// The longest boundary text: it must fit a spreadsheet cell (XLSX holds 32,767 characters).
pub const MAX_CHARS: usize = 32_000;

/// A ring: closed (its last position repeats the first), at least four positions.
type Ring = Vec<(f64, f64)>;

/// A checked boundary: polygons of rings (the first ring the outer one, the others holes),
/// with its bounding box.
#[derive(Debug, Clone, PartialEq)]
pub struct Boundary {
    polygons: Vec<Vec<Ring>>,
    /// West, south, east, north.
    bbox: [f64; 4],
}

fn position(v: &Value, at: &str) -> Result<(f64, f64), String> {
    let a = v
        .as_array()
        .filter(|a| a.len() >= 2)
        .ok_or_else(|| format!("{at}:坐标须为 [经度, 纬度]"))?;
    let lon = a[0].as_f64().ok_or_else(|| format!("{at}:经度不是数"))?;
    let lat = a[1].as_f64().ok_or_else(|| format!("{at}:纬度不是数"))?;
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        return Err(format!(
            "{at}:[{lon}, {lat}] 不是经纬度(经度 −180…180,纬度 −90…90)"
        ));
    }
    Ok((lon, lat))
}

fn rings(v: &Value, at: &str, count: &mut usize) -> Result<Vec<Ring>, String> {
    let list = v
        .as_array()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| format!("{at}:多边形须有至少一个环"))?;
    let mut out = Vec::new();
    for (i, r) in list.iter().enumerate() {
        let at = format!("{at}环 {}", i + 1);
        let ps = r.as_array().ok_or_else(|| format!("{at}:环须为坐标数组"))?;
        *count += ps.len();
        if *count > MAX_VERTICES {
            return Err(format!("边界超过 {MAX_VERTICES} 个顶点,请简化后再导入"));
        }
        let ring: Ring = ps
            .iter()
            .enumerate()
            .map(|(j, p)| position(p, &format!("{at}点 {}", j + 1)))
            .collect::<Result<_, _>>()?;
        if ring.len() < 4 {
            return Err(format!("{at}:环须有至少 4 个点(首尾相同)"));
        }
        if ring.first() != ring.last() {
            return Err(format!("{at}:环未闭合(末点须与首点相同)"));
        }
        out.push(ring);
    }
    Ok(out)
}

impl Boundary {
    /// Reads GeoJSON text: a Polygon or MultiPolygon geometry, or a Feature with one.
    pub fn parse(text: &str) -> Result<Boundary, String> {
        if text.chars().count() > MAX_CHARS {
            return Err(format!(
                "边界 GeoJSON 超过 {MAX_CHARS} 个字符,请简化后再导入"
            ));
        }
        let v: Value =
            serde_json::from_str(text).map_err(|e| format!("边界不是有效的 GeoJSON:{e}"))?;
        Boundary::from_json(&v)
    }

    fn from_json(v: &Value) -> Result<Boundary, String> {
        let kind = v.get("type").and_then(Value::as_str).unwrap_or("");
        let coords = v.get("coordinates");
        let mut count = 0;
        let polygons = match (kind, coords) {
            ("Feature", _) => {
                return Boundary::from_json(
                    v.get("geometry")
                        .ok_or("Feature 没有 geometry".to_string())?,
                )
            }
            ("Polygon", Some(c)) => vec![rings(c, "", &mut count)?],
            ("MultiPolygon", Some(c)) => c
                .as_array()
                .filter(|a| !a.is_empty())
                .ok_or("MultiPolygon 须有至少一个多边形".to_string())?
                .iter()
                .enumerate()
                .map(|(i, p)| rings(p, &format!("多边形 {} ", i + 1), &mut count))
                .collect::<Result<_, _>>()?,
            _ => {
                return Err(format!(
                    "边界须为 GeoJSON Polygon 或 MultiPolygon(或含其一的 Feature),不是 {kind:?}"
                ))
            }
        };
        let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for p in polygons.iter().flat_map(|p| p.first()).flatten() {
            bbox[0] = bbox[0].min(p.0);
            bbox[1] = bbox[1].min(p.1);
            bbox[2] = bbox[2].max(p.0);
            bbox[3] = bbox[3].max(p.1);
        }
        Ok(Boundary { polygons, bbox })
    }

    /// West, south, east, north.
    pub fn bbox(&self) -> [f64; 4] {
        self.bbox
    }

    pub fn vertices(&self) -> usize {
        self.polygons.iter().flatten().map(Vec::len).sum()
    }

    /// The boundary as GeoJSON text (a MultiPolygon when it has several polygons).
    pub fn to_geojson(&self) -> String {
        let poly = |p: &Vec<Ring>| -> Value {
            Value::Array(
                p.iter()
                    .map(|r| {
                        Value::Array(r.iter().map(|(x, y)| serde_json::json!([x, y])).collect())
                    })
                    .collect(),
            )
        };
        let v = if self.polygons.len() == 1 {
            serde_json::json!({"type": "Polygon", "coordinates": poly(&self.polygons[0])})
        } else {
            serde_json::json!({
                "type": "MultiPolygon",
                "coordinates": self.polygons.iter().map(poly).collect::<Vec<_>>()
            })
        };
        v.to_string()
    }

    /// Whether the point lies inside (even–odd over each polygon's rings: inside the outer
    /// ring and in no hole). A point exactly on an edge may fall either way.
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        let [w, s, e, n] = self.bbox;
        if lon < w || lon > e || lat < s || lat > n {
            return false;
        }
        self.polygons
            .iter()
            .any(|rings| rings.iter().filter(|r| crosses_odd(r, lon, lat)).count() % 2 == 1)
    }
}

/// Whether a ray from the point eastwards crosses the ring an odd number of times.
fn crosses_odd(ring: &Ring, x: f64, y: f64) -> bool {
    let mut inside = false;
    for w in ring.windows(2) {
        let ((x1, y1), (x2, y2)) = (w[0], w[1]);
        if (y1 > y) != (y2 > y) && x < (x2 - x1) * (y - y1) / (y2 - y1) + x1 {
            inside = !inside;
        }
    }
    inside
}

/// Checks a point as a check gives it.
pub fn check_point(lon: f64, lat: f64) -> Result<(f64, f64), String> {
    if lon.is_finite()
        && lat.is_finite()
        && (-180.0..=180.0).contains(&lon)
        && (-90.0..=90.0).contains(&lat)
    {
        Ok((lon, lat))
    } else {
        Err(format!(
            "({lon}, {lat}) 不是经纬度(经度 −180…180,纬度 −90…90)"
        ))
    }
}

/// Reads a point written `LON,LAT` (`112.79,34.91`).
pub fn parse_point(text: &str) -> Result<(f64, f64), String> {
    let (a, b) = text
        .split_once([',', '\u{FF0C}'])
        .ok_or_else(|| format!("{text:?}:坐标写作 经度,纬度(如 112.79,34.91)"))?;
    let lon: f64 = a.trim().parse().map_err(|_| format!("{a:?} 不是经度"))?;
    let lat: f64 = b.trim().parse().map_err(|_| format!("{b:?} 不是纬度"))?;
    check_point(lon, lat)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE_WITH_HOLE: &str = r#"{"type":"Polygon","coordinates":[
        [[112.0,34.0],[113.0,34.0],[113.0,35.0],[112.0,35.0],[112.0,34.0]],
        [[112.4,34.4],[112.6,34.4],[112.6,34.6],[112.4,34.6],[112.4,34.4]]]}"#;

    #[test]
    fn a_point_in_the_hole_is_outside() {
        let b = Boundary::parse(SQUARE_WITH_HOLE).unwrap();
        assert!(b.contains(112.2, 34.2));
        assert!(!b.contains(112.5, 34.5), "in the hole");
        assert!(!b.contains(113.5, 34.5));
        assert_eq!(b.bbox(), [112.0, 34.0, 113.0, 35.0]);
        let again = Boundary::parse(&b.to_geojson()).unwrap();
        assert_eq!(again, b);
    }

    #[test]
    fn a_multipolygon_and_a_feature() {
        let m = r#"{"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":[
            [[[0,0],[1,0],[1,1],[0,1],[0,0]]],
            [[[5,5],[6,5],[5.5,6],[5,5]]]]}}"#;
        let b = Boundary::parse(m).unwrap();
        assert!(b.contains(0.5, 0.5));
        assert!(b.contains(5.5, 5.4));
        assert!(!b.contains(3.0, 3.0));
        // A concave polygon: an L.
        let l = r#"{"type":"Polygon","coordinates":[[[0,0],[2,0],[2,1],[1,1],[1,2],[0,2],[0,0]]]}"#;
        let b = Boundary::parse(l).unwrap();
        assert!(b.contains(0.5, 1.5));
        assert!(!b.contains(1.5, 1.5));
    }

    #[test]
    fn bad_boundaries_are_named() {
        for (text, says) in [
            ("not json", "GeoJSON"),
            (r#"{"type":"Point","coordinates":[1,2]}"#, "Polygon"),
            (
                r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#,
                "闭合",
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}"#,
                "4 个点",
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[0,0],[200,0],[1,1],[0,0]]]}"#,
                "经纬度",
            ),
        ] {
            let e = Boundary::parse(text).unwrap_err();
            assert!(e.contains(says), "{text}: {e}");
        }
        let many: Vec<String> = (0..MAX_VERTICES + 1)
            .map(|i| format!("[{},0]", i % 100))
            .collect();
        let big = format!(
            r#"{{"type":"Polygon","coordinates":[[{}]]}}"#,
            many.join(",")
        );
        assert!(Boundary::parse(&big).is_err());
        assert_eq!(parse_point("112.79, 34.91").unwrap(), (112.79, 34.91));
        assert!(parse_point("112.79").is_err());
        assert!(parse_point("212,34").is_err());
    }
}
