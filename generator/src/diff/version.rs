//! The version bump a report calls for. Before 1.0 (Cargo's semver rules), a breaking change bumps the
//! minor version and anything else the patch version; from 1.0, breaking bumps the major version and
//! compatible changes the minor.

use super::report::Level;
use std::fmt;

/// Which part of the version moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        })
    }
}

/// A version this module cannot bump (pre-release or build metadata, or not `MAJOR.MINOR.PATCH`).
#[derive(Debug, thiserror::Error)]
#[error("cannot bump version `{0}`: expected MAJOR.MINOR.PATCH")]
pub struct VersionError(pub String);

/// The bump for `level` starting from `version`, and the version it gives.
pub fn next_version(version: &str, level: Level) -> Result<(Bump, String), VersionError> {
    let parts: Vec<u64> = version
        .trim()
        .split('.')
        .map(|p| p.parse::<u64>())
        .collect::<Result<_, _>>()
        .map_err(|_| VersionError(version.to_owned()))?;
    let [major, minor, patch] = parts[..] else {
        return Err(VersionError(version.to_owned()));
    };
    let bump = match (level, major) {
        (Level::Unchanged, _) => Bump::None,
        (Level::Breaking, 0) => Bump::Minor,
        (Level::Breaking, _) => Bump::Major,
        (Level::Compatible, 0) | (Level::DocsOnly, _) => Bump::Patch,
        (Level::Compatible, _) => Bump::Minor,
    };
    let next = match bump {
        Bump::None => format!("{major}.{minor}.{patch}"),
        Bump::Patch => format!("{major}.{minor}.{}", patch + 1),
        Bump::Minor => format!("{major}.{}.0", minor + 1),
        Bump::Major => format!("{}.0.0", major + 1),
    };
    Ok((bump, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pre_1_0_breaking_bumps_minor_and_the_rest_patch() {
        let next = |v, l| next_version(v, l).unwrap();
        assert_eq!(
            next("0.1.3", Level::Breaking),
            (Bump::Minor, "0.2.0".into())
        );
        assert_eq!(
            next("0.1.3", Level::Compatible),
            (Bump::Patch, "0.1.4".into())
        );
        assert_eq!(
            next("0.1.3", Level::DocsOnly),
            (Bump::Patch, "0.1.4".into())
        );
        assert_eq!(
            next("0.1.3", Level::Unchanged),
            (Bump::None, "0.1.3".into())
        );
        assert_eq!(
            next("1.4.2", Level::Breaking),
            (Bump::Major, "2.0.0".into())
        );
        assert_eq!(
            next("1.4.2", Level::Compatible),
            (Bump::Minor, "1.5.0".into())
        );
    }

    #[test]
    fn versions_it_cannot_bump_are_errors() {
        for v in ["0.1", "0.1.0-alpha.1", "x.y.z", "0.1.0.0", ""] {
            assert!(next_version(v, Level::Breaking).is_err(), "{v}");
        }
    }
}
