//! Moving the pin in `spec/source.toml`: the values of its keys are replaced in place, so the file's
//! comments stay, and the result is read back to make sure it says what was meant.

use crate::pin::Pin;
use anyhow::{bail, Context, Result};

/// The pin file's text with every key set to `pin`'s value.
pub fn rewrite(text: &str, pin: &Pin) -> Result<String> {
    let values = [
        ("repo", &pin.repo),
        ("commit", &pin.commit),
        ("path", &pin.path),
        ("url", &pin.url),
        ("sha256", &pin.sha256),
    ];
    let mut seen = Vec::new();
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let key = line
            .split_once('=')
            .map(|(k, _)| k.trim())
            .filter(|k| !k.starts_with('#'));
        match values.iter().find(|(k, _)| Some(*k) == key) {
            Some((k, v)) => {
                let ending = &line[line.trim_end_matches(['\r', '\n']).len()..];
                out.push_str(&format!("{k} = {}{ending}", toml::Value::from(v.as_str())));
                seen.push(*k);
            }
            None => out.push_str(line),
        }
    }
    for (k, _) in values {
        if !seen.contains(&k) {
            bail!("the pin file has no `{k} = ...` line");
        }
    }
    let back: Pin = toml::from_str(&out).context("reading the rewritten pin back")?;
    if (
        &back.repo,
        &back.commit,
        &back.path,
        &back.url,
        &back.sha256,
    ) != (&pin.repo, &pin.commit, &pin.path, &pin.url, &pin.sha256)
    {
        bail!("the rewritten pin does not read back as written");
    }
    Ok(out)
}

/// The raw URL of the pinned file at `commit`: the pinned URL with its commit replaced, so the pattern
/// is whatever `spec/source.toml` uses.
pub fn url_at(pin: &Pin, commit: &str) -> Result<String> {
    if pin.commit.is_empty() || !pin.url.contains(&pin.commit) {
        bail!(
            "the pinned url {} does not contain the pinned commit {}: cannot derive the url of another commit",
            pin.url,
            pin.commit
        );
    }
    Ok(pin.url.replace(&pin.commit, commit))
}

/// A full commit id (40 hex digits), so that the pin names exactly one version.
pub fn check_commit(commit: &str) -> Result<()> {
    if commit.len() != 40 || !commit.bytes().all(|b| b.is_ascii_hexdigit()) {
        bail!("`{commit}` is not a full commit id (40 hex digits)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# The pin.\nrepo = \"team-telnyx/openapi\"\ncommit = \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"\npath = \"openapi/spec3.yml\"\nurl = \"https://raw.githubusercontent.com/team-telnyx/openapi/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/openapi/spec3.yml\"\nsha256 = \"00\"\n";

    #[test]
    fn a_moved_pin_keeps_the_comments_and_reads_back() {
        let pin: Pin = toml::from_str(FILE).unwrap();
        let commit = "b".repeat(40);
        let moved = Pin {
            url: url_at(&pin, &commit).unwrap(),
            commit: commit.clone(),
            sha256: "ff".into(),
            ..pin.clone()
        };
        assert_eq!(
            moved.url,
            format!(
                "https://raw.githubusercontent.com/team-telnyx/openapi/{commit}/openapi/spec3.yml"
            )
        );
        let text = rewrite(FILE, &moved).unwrap();
        assert!(text.starts_with("# The pin.\n"));
        assert_eq!(text.matches(&commit).count(), 2);
        assert!(text.contains("sha256 = \"ff\"\n"));
        assert_eq!(rewrite(&text, &pin).unwrap(), FILE);
    }

    #[test]
    fn commits_must_be_full_ids() {
        assert!(check_commit(&"0f".repeat(20)).is_ok());
        for bad in ["4f3a6bd", "main", &"g".repeat(40), &"a".repeat(41)] {
            assert!(check_commit(bad).is_err(), "{bad}");
        }
    }
}
