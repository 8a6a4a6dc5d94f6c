//! The three workflows `oncall init` writes. They serve every rotation of the
//! repository (the top-level rotation.yaml and each rotations/NAME/), from
//! the released binary through the action: a new team needs no edit.

/// The line the workflows carry: `oncall init --rotation NAME` leaves
/// workflows that have it as they are (they serve the new rotation too).
pub const EVERY_ROTATION: &str =
    "# oncall: these workflows serve every rotation of this repository.";

/// Which action the generated workflows use, and the daily run's zone.
#[derive(Debug, Clone)]
pub struct Workflows<'a> {
    /// `OWNER/NAME@REF # vX.Y.Z`, as written after `uses:` (checked by the
    /// caller: letters, digits, `-_./@`, and the comment).
    pub action: &'a str,
    /// The time zone of the daily schedule (the first team's).
    pub timezone: &'a str,
}

/// A YAML double-quoted scalar (a JSON string is one).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

const DAILY: &str = r#"# The daily handover (written by `oncall init`): every working morning,
# and by hand (Actions → On-call handover → Run workflow). It opens or
# updates each rotation's handover pull request and posts its handover to
# Slack. One job lists the rotations (`oncall list`: the top-level
# rotation.yaml and every rotations/NAME/rotation.yaml); then one job per
# rotation hands over, side by side, each with its own branch and pull
# request. One rotation's broken file or Slack outage fails only its job.
@MARKER@
# A new team (`oncall init --rotation NAME`) needs no edit here.
#
# Slack: each rotation's job runs in the GitHub environment
# `oncall-NAME` (created on its first run). A secret SLACK_WEBHOOK_URL of
# that environment (Settings → Environments → oncall-NAME, or `gh secret
# set SLACK_WEBHOOK_URL --env oncall-NAME`) is that team's webhook; without
# one, the repository's secret SLACK_WEBHOOK_URL is used.
name: On-call handover

on:
  schedule:
    # 07:23 in this time zone, Monday to Friday (an odd minute: GitHub
    # delays and drops runs at the top of the hour). oncall decides the
    # date in each team's own time zone (its rotation.yaml), does nothing
    # on a holiday, and a late or repeated run is safe.
    - cron: "23 7 * * 1-5"
      timezone: @TZ@
  # A rotation file landing on the default branch: only a takeover of the
  # day (R13, an override of a day handed over already) is applied and
  # announced; nothing else is handed over before the morning's run.
  push:
    # Not the handover and swap branches oncall writes (each push there
    # would start a run that does nothing).
    branches-ignore: ["oncall/**"]
    paths:
      - rotation.yaml
      - "rotations/*/rotation.yaml"
  workflow_dispatch:
    inputs:
      date:
        description: "Act as if it were this day (YYYY-MM-DD). Empty: today."
        required: false
        default: ""
        type: string
      dry_run:
        description: "Dry run: print the plan, write nothing, post nothing."
        required: false
        default: false
        type: boolean
      notify:
        description: "Post the handover to Slack."
        required: false
        default: true
        type: boolean
      rotation:
        description: "Only this rotation (its name in `oncall list`). Empty: every rotation."
        required: false
        default: ""
        type: string

permissions: {}

jobs:
  rotations:
    name: List the rotations
    # A push counts only on the default branch (the files oncall reads).
    if: github.event_name != 'push' || github.ref_name == github.event.repository.default_branch
    permissions:
      contents: read # read the rotation files
    runs-on: ubuntu-latest
    timeout-minutes: 15
    concurrency:
      # A push's run has a group of its own: GitHub keeps one pending run
      # per group and cancels the one before, and a push must never
      # cancel the morning's handover waiting there.
      group: oncall-rotations${{ github.event_name == 'push' && '-push' || '' }}
      cancel-in-progress: false
    outputs:
      rotations: ${{ steps.list.outputs.rotations }}
    steps:
      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0
        with:
          persist-credentials: false
      # One line of JSON, one entry per rotation (a broken file included:
      # its own job fails and tells its team).
      - id: list
        uses: @ACTION@
        with:
          command: list
          rotation: ${{ inputs.rotation }}

  handover:
    name: Hand over (${{ matrix.rotation.name }})
    needs: rotations
    if: needs.rotations.outputs.rotations != '[]'
    strategy:
      # One team's broken file or Slack outage never stops another's.
      fail-fast: false
      matrix:
        rotation: ${{ fromJSON(needs.rotations.outputs.rotations) }}
    # Two runs never hand over one rotation at once; a second one waits.
    # A push's run (a takeover only) has a group of its own, so that it
    # never cancels a waiting morning run (one pending run per group);
    # beside a handover it is safe: every write is a compare-and-swap and
    # Slack is claimed.
    concurrency:
      group: oncall-handover-${{ matrix.rotation.name }}${{ github.event_name == 'push' && '-push' || '' }}
      cancel-in-progress: false
    # The team's secrets: an environment secret overrides the repository's.
    environment: oncall-${{ matrix.rotation.name }}
    permissions:
      contents: write # commit the state and the log to the handover branch
      pull-requests: write # open and update the handover pull request
    runs-on: ubuntu-latest
    timeout-minutes: 15
    steps:
      # oncall reads the rotation's files from the default branch on
      # GitHub: no checkout.
      - uses: @ACTION@
        with:
          rotation: ${{ matrix.rotation.name }}
          # This team's webhook: its environment's secret, else the repository's.
          slack-webhook-url: ${{ secrets.SLACK_WEBHOOK_URL }}
          # Optional: keeps the Slack user group in rotation.yaml on today's engineer.
          slack-bot-token: ${{ secrets.SLACK_BOT_TOKEN }}
          date: ${{ inputs.date }}
          dry-run: ${{ inputs.dry_run || false }}
          notify: ${{ github.event_name == 'schedule' || github.event_name == 'push' || inputs.notify }}
          takeover-only: ${{ github.event_name == 'push' }}
"#;

const CHECK: &str = r#"# Checks a pull request that changes a rotation (written by `oncall
# init`): every rotation's files are validated (annotations on the lines at
# fault), and whose days move in each rotation the change touches (its
# file, its log, or a shared calendar it includes), before and after, is
# previewed in the job summary.
@MARKER@
name: Rotation check

on:
  pull_request:
    paths:
      - rotation.yaml
      - oncall-log.md
      - "log/**" # the log's yearly archives (`log.archive`)
      - "rotations/**"
      - "calendars/**"

permissions: {}

concurrency:
  group: oncall-check-${{ github.event.pull_request.number }}
  cancel-in-progress: true

jobs:
  check:
    name: Check the rotations
    permissions:
      contents: read # read the rotation files of the pull request
    runs-on: ubuntu-latest
    timeout-minutes: 15
    steps:
      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0
        with:
          persist-credentials: false
          fetch-depth: 0 # the base commit, for the before/after preview
      # With the default config and log: every rotation of the repository.
      - uses: @ACTION@
        with:
          command: check
"#;

const MOVED: &str = r#"# Tells the people whose on-call days moved (written by `oncall init`).
# When a change to a rotation (its rotation.yaml, a file under
# rotations/NAME/, a shared calendar under calendars/) lands on the default
# branch, each rotation whose days within the next 8 weeks changed gets one
# Slack message on its own webhook, naming each person whose days moved
# with their days before and after. Nobody else is mentioned, and a change
# that moves nobody (the daily handover's merge, a new duty) posts nothing.
#
# One job per rotation, in its GitHub environment `oncall-NAME`, as the
# daily handover: the environment's secret SLACK_WEBHOOK_URL is the team's
# webhook, else the repository's. Once per landed change, however often
# the run repeats: each message is claimed first with the ref
# refs/oncall/moved/COMMIT/ROTATION (a compare-and-swap); a post that
# fails gives its claim back, so that a rerun posts.
@MARKER@
name: Days moved

on:
  push:
    branches-ignore: ["oncall/**"]
    paths:
      - rotation.yaml
      - "rotations/**"
      - "calendars/**"

permissions: {}

jobs:
  rotations:
    name: List the rotations
    # Only a change that lands on the default branch moves anyone's days.
    if: github.ref_name == github.event.repository.default_branch
    permissions:
      contents: read # read the rotation files
    runs-on: ubuntu-latest
    timeout-minutes: 15
    concurrency:
      group: oncall-moved-${{ github.sha }}
      cancel-in-progress: false
    outputs:
      rotations: ${{ steps.list.outputs.rotations }}
    steps:
      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0
        with:
          persist-credentials: false
      - id: list
        uses: @ACTION@
        with:
          command: list

  tell:
    name: Tell whose days moved (${{ matrix.rotation.name }})
    needs: rotations
    if: needs.rotations.outputs.rotations != '[]'
    strategy:
      fail-fast: false
      matrix:
        rotation: ${{ fromJSON(needs.rotations.outputs.rotations) }}
    # A rerun of one push waits for the run before it (the claim keeps the
    # message single either way); pushes never wait for each other.
    concurrency:
      group: oncall-moved-${{ github.sha }}-${{ matrix.rotation.name }}
      cancel-in-progress: false
    # The team's secrets: an environment secret overrides the repository's.
    environment: oncall-${{ matrix.rotation.name }}
    permissions:
      contents: write # create the claim ref refs/oncall/moved/COMMIT/ROTATION
    runs-on: ubuntu-latest
    timeout-minutes: 15
    steps:
      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0
        with:
          persist-credentials: false
          fetch-depth: 0 # the push's previous commit, for the base tree
      - uses: @ACTION@
        with:
          command: moved
          rotation: ${{ matrix.rotation.name }}
          base-sha: ${{ github.event.before }}
          # This team's webhook: its environment's secret, else the repository's.
          slack-webhook-url: ${{ secrets.SLACK_WEBHOOK_URL }}
"#;

impl Workflows<'_> {
    fn fill(&self, template: &str) -> String {
        template
            .replace("@MARKER@", EVERY_ROTATION)
            .replace("@ACTION@", self.action)
            .replace("@TZ@", &quoted(self.timezone))
    }

    /// `.github/workflows/oncall.yml`: the daily handover of every
    /// rotation, and the manual run.
    pub fn daily(&self) -> String {
        self.fill(DAILY)
    }

    /// `.github/workflows/oncall-check.yml`: the roster pull request
    /// check of every rotation.
    pub fn check(&self) -> String {
        self.fill(CHECK)
    }

    /// `.github/workflows/oncall-moved.yml`: tells the people whose days a
    /// landed change moved, each rotation on its own webhook.
    pub fn moved(&self) -> String {
        self.fill(MOVED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_workflow_carries_the_line_init_recognises() {
        let w = Workflows {
            action: "acme/oncall@v1.2.3",
            timezone: "Europe/Berlin",
        };
        for text in [w.daily(), w.check(), w.moved()] {
            assert!(text.lines().any(|l| l == EVERY_ROTATION), "{text}");
            for placeholder in ["@MARKER@", "@ACTION@", "@TZ@"] {
                assert!(!text.contains(placeholder), "{text}");
            }
            assert!(text.contains("uses: acme/oncall@v1.2.3\n"), "{text}");
        }
        assert!(w.daily().contains("      timezone: \"Europe/Berlin\"\n"));
    }
}
