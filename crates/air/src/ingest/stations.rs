//! The station list: `监测点编码,监测点名称,城市,经度,纬度` (extra columns ignored, UTF-8 BOM
//! accepted), mapping each station to its city.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use super::{strip_bom, IngestError, Location};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Station {
    pub code: String,
    pub name: String,
    pub city: String,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
}

/// Stations in file order, with an index by code.
#[derive(Clone, Debug, Default)]
pub struct StationList {
    stations: Vec<Station>,
    index: HashMap<String, usize>,
}

impl StationList {
    /// Builds a list; a code listed twice is refused unless both rows agree.
    pub fn new(stations: Vec<Station>) -> Result<StationList, IngestError> {
        let mut list = StationList::default();
        for s in stations {
            list.push(s, None)?;
        }
        Ok(list)
    }

    fn push(&mut self, s: Station, at: Option<Location>) -> Result<(), IngestError> {
        if let Some(&i) = self.index.get(&s.code) {
            if self.stations[i].city == s.city {
                return Ok(());
            }
            let msg = format!(
                "station {} is listed twice, in {} and in {}",
                s.code, self.stations[i].city, s.city
            );
            return Err(match at {
                Some(loc) => IngestError::at(loc, msg),
                None => IngestError::Refused(msg),
            });
        }
        self.index.insert(s.code.clone(), self.stations.len());
        self.stations.push(s);
        Ok(())
    }

    pub fn stations(&self) -> &[Station] {
        &self.stations
    }

    pub fn len(&self) -> usize {
        self.stations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.stations.is_empty()
    }

    pub fn get(&self, i: usize) -> &Station {
        &self.stations[i]
    }

    pub fn index_of(&self, code: &str) -> Option<usize> {
        self.index.get(code).copied()
    }

    /// Cities with the indices of their stations, cities in order of first appearance.
    pub fn cities(&self) -> Vec<(String, Vec<usize>)> {
        let mut order: Vec<(String, Vec<usize>)> = Vec::new();
        let mut pos: HashMap<&str, usize> = HashMap::new();
        for (i, s) in self.stations.iter().enumerate() {
            match pos.get(s.city.as_str()) {
                Some(&k) => order[k].1.push(i),
                None => {
                    pos.insert(&s.city, order.len());
                    order.push((s.city.clone(), vec![i]));
                }
            }
        }
        order
    }
}

pub fn read_station_list(path: &Path) -> Result<StationList, IngestError> {
    let bytes = std::fs::read(path).map_err(|e| IngestError::io(path, e))?;
    parse_station_list(&bytes, &path.display().to_string())
}

/// Parses a station list. `source` names the file in error messages.
pub fn parse_station_list(bytes: &[u8], source: &str) -> Result<StationList, IngestError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(strip_bom(bytes));
    let mut records = rdr.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(csv_error(source, e)),
        None => {
            return Err(IngestError::BadFile {
                file: source.into(),
                message: "the station list is empty".into(),
            })
        }
    };
    let find = |name: &str| header.iter().position(|h| h.trim() == name);
    let (Some(code_col), Some(city_col)) = (find("监测点编码"), find("城市")) else {
        return Err(IngestError::at(
            Location::line(source, 1),
            format!(
                "the header must name the columns 监测点编码 and 城市 (监测点编码,监测点名称,城市,经度,纬度); found {:?}",
                header.iter().collect::<Vec<_>>()
            ),
        ));
    };
    let name_col = find("监测点名称");
    let lon_col = find("经度");
    let lat_col = find("纬度");
    let mut list = StationList::default();
    for rec in records {
        let rec = rec.map_err(|e| csv_error(source, e))?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let cell = |c: usize| rec.get(c).unwrap_or("").trim();
        let code = cell(code_col);
        if code.is_empty() {
            return Err(IngestError::at(
                Location::cell(source, line, code_col + 1, "监测点编码"),
                "empty station code",
            ));
        }
        let coord = |col: Option<usize>, name: &str| -> Result<Option<f64>, IngestError> {
            let Some(c) = col else { return Ok(None) };
            let v = cell(c);
            if v.is_empty() {
                return Ok(None);
            }
            v.parse::<f64>().map(Some).map_err(|_| {
                IngestError::at(
                    Location::cell(source, line, c + 1, name),
                    format!("{v:?} is not a number"),
                )
            })
        };
        let station = Station {
            code: code.to_string(),
            name: name_col.map_or(String::new(), |c| cell(c).to_string()),
            city: cell(city_col).to_string(),
            longitude: coord(lon_col, "经度")?,
            latitude: coord(lat_col, "纬度")?,
        };
        list.push(station, Some(Location::line(source, line)))?;
    }
    Ok(list)
}

fn csv_error(source: &str, e: csv::Error) -> IngestError {
    let line = e.position().map_or(0, |p| p.line() as usize);
    IngestError::at(Location::line(source, line), e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_list_with_bom_extra_columns_and_groups_cities() {
        let text = "\u{feff}监测点编码,监测点名称,城市,经度,纬度,对照点\n1001A,万寿西宫,北京,116.366,39.8673,N\n1002A,定陵,北京,116.17,40.2865,Y\n1101A,市监测站,焦作,,,\n";
        let list = parse_station_list(text.as_bytes(), "s.csv").unwrap();
        assert_eq!(list.len(), 3);
        assert_eq!(list.get(0).name, "万寿西宫");
        assert_eq!(list.get(0).longitude, Some(116.366));
        assert_eq!(list.get(2).latitude, None);
        assert_eq!(list.index_of("1101A"), Some(2));
        let cities = list.cities();
        assert_eq!(
            cities,
            vec![
                ("北京".to_string(), vec![0, 1]),
                ("焦作".to_string(), vec![2])
            ]
        );
    }

    #[test]
    fn refuses_a_wrong_header_and_conflicting_duplicates() {
        let err = parse_station_list("code,name,city\n".as_bytes(), "s.csv").unwrap_err();
        assert!(err.to_string().starts_with("s.csv: line 1:"), "{err}");
        let text = "监测点编码,监测点名称,城市,经度,纬度\n1001A,a,北京,1,2\n1001A,a,天津,1,2\n";
        let err = parse_station_list(text.as_bytes(), "s.csv").unwrap_err();
        assert!(err.to_string().contains("line 3"), "{err}");
        let text = "监测点编码,监测点名称,城市,经度,纬度\n1001A,a,北京,east,2\n";
        let err = parse_station_list(text.as_bytes(), "s.csv").unwrap_err();
        assert_eq!(
            err.to_string(),
            "s.csv: line 2, column 4 (经度): \"east\" is not a number"
        );
    }
}
