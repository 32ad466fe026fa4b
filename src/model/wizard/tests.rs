use super::*;
use crate::model::closure_check::ClosureCheck;
use crate::model::profile::testing;
use crate::model::review::PendingWork;

mod properties;

use crate::model::account::{AccountKind, ContractKind, Proposal, ProposalStatus};
use crate::model::money::Money;
use chrono::TimeZone;

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
        .single()
        .expect("a valid UTC time")
}

/// Monday 23 November 2026, 10:00 UTC.
fn now() -> DateTime<Utc> {
    at(2026, 11, 23, 10, 0, 0)
}

fn summary(id: &str, kind: AccountKind, username: &str) -> AccountSummary {
    AccountSummary {
        id: id.into(),
        kind,
        username: username.into(),
        display_name: format!("{username} display"),
        email: format!("{username}@example.com"),
        member_since: at(2019, 3, 4, 9, 0, 0),
    }
}

fn freelancer() -> AccountSummary {
    summary("freelancer", AccountKind::Freelancer, "maya")
}

fn agency() -> AccountSummary {
    summary("agency", AccountKind::Agency, "pixelworks")
}

fn accounts() -> Vec<AccountSummary> {
    vec![
        freelancer(),
        summary("client", AccountKind::Client, "northwind"),
        agency(),
    ]
}

/// Pending work with nothing in the way of closing.
fn clear_work(account: &AccountSummary) -> PendingWork {
    PendingWork::nothing_open(account.clone())
}

/// Pending work with `n` open proposals, each a blocker.
fn blocked_work(account: &AccountSummary, n: usize) -> PendingWork {
    let mut work = clear_work(account);
    work.open_proposals = (1..=n)
        .map(|i| Proposal {
            id: format!("p-{i}"),
            job_title: format!("Job {i}"),
            client: "Ben Ode".into(),
            submitted: at(2026, 11, 2, 8, 0, 0),
            status: ProposalStatus::Submitted,
            bid: Money::from_dollars(500),
            bid_kind: ContractKind::FixedPrice,
            connects_spent: 8,
            cover_letter: String::new(),
        })
        .collect();
    work
}

fn withdraw(proposal: &str) -> Resolution {
    Resolution::WithdrawProposal {
        proposal_id: proposal.into(),
    }
}

fn export_record() -> ExportRecord {
    ExportRecord {
        folder: PathBuf::from("/home/maya/Offboard/demo-freelancer-2026-11-23"),
        manifest_sha256: "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8".into(),
        files: 14,
        records: 1_234,
        bytes: 456_789,
        finished_at: now(),
    }
}

fn work_loaded(w: &mut Wizard, work: PendingWork, at: DateTime<Utc>) -> Vec<Effect> {
    let account = work.account.id.clone();
    w.handle(
        Event::PendingWorkLoaded {
            account,
            result: Ok(Box::new(work)),
        },
        at,
    )
}

/// A first launch with the demo accounts listed.
fn fresh() -> Wizard {
    let (mut w, _) = Wizard::resume(SavedState::default(), now(), testing::profiles());
    w.handle(Event::AccountsLoaded(Ok(accounts())), now());
    w
}

/// Walks the wizard from the start to `target` the way a user would:
/// the freelancer account, a reason, a clear review, a finished export,
/// the whole checklist.
fn walk_to(target: Step) -> Wizard {
    let mut w = fresh();
    while w.step() != target {
        match w.step() {
            Step::Connect => {
                w.apply(Action::ChooseAccount("freelancer".into()), now());
            }
            Step::Reason => {
                w.apply(Action::ChooseReason(LeaveReason::FoundWorkOutside), now());
            }
            Step::Review => {
                work_loaded(&mut w, clear_work(&freelancer()), now());
            }
            Step::Export => {
                w.handle(Event::ExportFinished(Ok(export_record())), now());
            }
            Step::Checklist => {
                w.handle(
                    Event::ManualChecksLoaded {
                        account: "freelancer".into(),
                        checks: Vec::new(),
                    },
                    now(),
                );
                for item in ChecklistItem::ALL {
                    if !w.progress.checklist.contains(&item) {
                        w.apply(Action::ToggleChecklist(item), now());
                    }
                }
            }
            _ => {}
        }
        let before = w.step();
        w.apply(Action::Next, now());
        assert_ne!(w.step(), before, "stuck: {:?}", w.next_blocked_reason());
    }
    w
}

/// Only the effects that are not `Save`.
fn without_save(effects: &[Effect]) -> Vec<Effect> {
    effects
        .iter()
        .filter(|e| !matches!(e, Effect::Save(_)))
        .cloned()
        .collect()
}

fn fetch() -> Effect {
    Effect::FetchPendingWork {
        account: "freelancer".into(),
    }
}

// ----- steps and gating -----

#[test]
fn first_launch_starts_on_welcome_and_loads_accounts() {
    let (w, effects) = Wizard::resume(SavedState::default(), now(), testing::profiles());
    assert_eq!(w.step(), Step::Welcome);
    assert_eq!(w.progress.furthest, Step::Welcome);
    assert_eq!(
        effects,
        vec![Effect::LoadAccounts {
            platform: testing::DEMO.id.clone(),
            changes: Vec::new(),
            sources: SourceSettings::default(),
        }]
    );
    assert_eq!(w.next_blocked_reason(), None);
    assert!(!w.can_go_back());
}

#[test]
fn connect_needs_an_account() {
    let mut w = fresh();
    let effects = w.apply(Action::Next, now());
    assert_eq!(w.step(), Step::Connect);
    assert_eq!(effects, vec![Effect::Save(Box::new(w.saved_state()))]);
    assert_eq!(
        w.next_blocked_reason().as_deref(),
        Some("Choose the account you are leaving to continue.")
    );
    // Next does nothing, not even save.
    assert_eq!(w.apply(Action::Next, now()), Vec::new());
    assert_eq!(w.step(), Step::Connect);

    // An id the platform did not list is not a choice.
    assert_eq!(
        w.apply(Action::ChooseAccount("nobody".into()), now()),
        Vec::new()
    );
    assert_eq!(w.account(), None);

    let effects = w.apply(Action::ChooseAccount("freelancer".into()), now());
    assert_eq!(w.account(), Some(&freelancer()));
    assert_eq!(effects, vec![Effect::Save(Box::new(w.saved_state()))]);
    assert_eq!(w.next_blocked_reason(), None);
}

#[test]
fn accounts_cannot_be_chosen_before_they_are_listed() {
    let (mut w, _) = Wizard::resume(SavedState::default(), now(), testing::profiles());
    w.apply(Action::Next, now());
    assert_eq!(
        w.apply(Action::ChooseAccount("freelancer".into()), now()),
        Vec::new()
    );
    assert_eq!(w.account(), None);
}

#[test]
fn reason_needs_a_choice() {
    let mut w = walk_to(Step::Reason);
    assert_eq!(
        w.next_blocked_reason().as_deref(),
        Some("Choose a reason for leaving to continue.")
    );
    assert_eq!(w.apply(Action::Next, now()), Vec::new());
    assert_eq!(w.step(), Step::Reason);
    w.apply(Action::ChooseReason(LeaveReason::TakingABreak), now());
    assert_eq!(w.next_blocked_reason(), None);
    assert_eq!(w.reason_text(), "I'm taking a break from freelancing");
}

#[test]
fn other_reason_needs_words() {
    let mut w = walk_to(Step::Reason);
    w.apply(Action::ChooseReason(LeaveReason::Other), now());
    let expected = Some("You chose \"Other\": describe your reason in a few words.");
    assert_eq!(w.next_blocked_reason().as_deref(), expected);
    w.apply(Action::SetOtherReason("   \n ".into()), now());
    assert_eq!(w.next_blocked_reason().as_deref(), expected);
    assert_eq!(w.apply(Action::Next, now()), Vec::new());
    w.apply(Action::SetOtherReason("  Moving abroad ".into()), now());
    assert_eq!(w.next_blocked_reason(), None);
    assert_eq!(w.reason_text(), "Other: Moving abroad");
    w.apply(Action::Next, now());
    assert_eq!(w.step(), Step::Feedback);
}

#[test]
fn other_reason_is_capped_in_chars() {
    let mut w = walk_to(Step::Reason);
    w.apply(
        Action::SetOtherReason("ø".repeat(OTHER_REASON_LIMIT + 7)),
        now(),
    );
    assert_eq!(w.progress.other_reason, "ø".repeat(OTHER_REASON_LIMIT));
}

#[test]
fn feedback_is_capped_at_the_limit_in_chars_not_bytes() {
    let mut w = walk_to(Step::Feedback);
    assert_eq!(w.next_blocked_reason(), None, "feedback is optional");

    let effects = w.apply(Action::SetFeedback("é".repeat(FEEDBACK_LIMIT + 10)), now());
    assert_eq!(w.progress.feedback.chars().count(), FEEDBACK_LIMIT);
    assert_eq!(w.progress.feedback.len(), 2 * FEEDBACK_LIMIT);
    assert_eq!(w.progress.feedback, "é".repeat(FEEDBACK_LIMIT));
    assert_eq!(effects, vec![Effect::Save(Box::new(w.saved_state()))]);

    // Mixed widths: 1-byte, 4-byte emoji, 3-byte CJK.
    let mixed: String = "a🙂界".repeat(FEEDBACK_LIMIT);
    w.apply(Action::SetFeedback(mixed.clone()), now());
    let expected: String = mixed.chars().take(FEEDBACK_LIMIT).collect();
    assert_eq!(w.progress.feedback, expected);
    assert!(w.progress.feedback.ends_with('🙂'), "2000 = 3 × 666 + 2");

    // Exactly at the limit is kept whole.
    let exact = "界".repeat(FEEDBACK_LIMIT);
    w.apply(Action::SetFeedback(exact.clone()), now());
    assert_eq!(w.progress.feedback, exact);
    assert_eq!(w.next_blocked_reason(), None);
}

#[test]
fn over_long_saved_feedback_blocks_next_with_the_excess() {
    let saved = SavedState {
        schema_version: SCHEMA_VERSION,
        progress: Progress {
            step: Step::Feedback,
            furthest: Step::Feedback,
            account: Some(freelancer()),
            reason: Some(LeaveReason::PrivacyConcerns),
            feedback: "ü".repeat(FEEDBACK_LIMIT + 3),
            ..Progress::default()
        },
        account_changes: Vec::new(),
        prefs: UiPrefs::default(),
    };
    let (mut w, _) = Wizard::resume(saved, now(), testing::profiles());
    assert_eq!(
        w.next_blocked_reason().as_deref(),
        Some("Shorten your feedback by 3 characters to continue.")
    );
    assert_eq!(w.apply(Action::Next, now()), Vec::new());
    assert_eq!(w.step(), Step::Feedback);
}

#[test]
fn entering_review_fetches_pending_work_and_waits_for_it() {
    let mut w = walk_to(Step::Feedback);
    let effects = w.apply(Action::Next, now());
    assert_eq!(w.step(), Step::Review);
    assert_eq!(
        effects,
        vec![fetch(), Effect::Save(Box::new(w.saved_state()))]
    );
    assert!(w.assessment.is_loading());
    assert_eq!(
        w.next_blocked_reason().as_deref(),
        Some("Wait for the review of your pending work to load.")
    );
    assert_eq!(w.apply(Action::Next, now()), Vec::new());

    // A second fetch is not sent while one is under way.
    assert_eq!(w.apply(Action::Recheck, now()), Vec::new());

    let effects = w.handle(
        Event::PendingWorkLoaded {
            account: "freelancer".into(),
            result: Err("The platform did not answer.".into()),
        },
        now(),
    );
    assert_eq!(effects, Vec::new());
    assert_eq!(w.assessment.error(), Some("The platform did not answer."));
    assert_eq!(
        w.next_blocked_reason().as_deref(),
        Some("The review could not be loaded: The platform did not answer. Press Re-check.")
    );
    assert_eq!(w.apply(Action::Next, now()), Vec::new());

    assert_eq!(w.apply(Action::Recheck, now()), vec![fetch()]);
    assert!(w.assessment.is_loading());
    work_loaded(&mut w, blocked_work(&freelancer(), 2), now());
    // Blockers do not stop the user from reading on; only closing waits.
    assert_eq!(w.next_blocked_reason(), None);
}

#[test]
fn pending_work_loaded_runs_assess() {
    let mut w = walk_to(Step::Review);
    w.apply(Action::Recheck, now());
    let later = now() + Duration::minutes(5);
    let work = blocked_work(&freelancer(), 2);
    work_loaded(&mut w, work.clone(), later);
    assert_eq!(
        w.assessment,
        Loadable::Loaded(assess(&testing::DEMO, &work, later))
    );
    let a = w.assessment.value().expect("loaded");
    assert_eq!(a.checked_at, later);
    assert_eq!(a.blocker_count(), 2);
}

#[test]
fn failed_recheck_keeps_the_last_assessment_to_show() {
    let mut w = walk_to(Step::Review);
    work_loaded(&mut w, blocked_work(&freelancer(), 1), now());
    let last = w.assessment.value().cloned();
    assert_eq!(last.as_ref().map(Assessment::blocker_count), Some(1));
    w.apply(Action::Recheck, now());
    assert_eq!(
        w.assessment,
        Loadable::Loading {
            previous: last.clone()
        }
    );
    w.handle(
        Event::PendingWorkLoaded {
            account: "freelancer".into(),
            result: Err("offline".into()),
        },
        now(),
    );
    assert_eq!(
        w.assessment,
        Loadable::Failed {
            message: "offline".into(),
            previous: last,
        }
    );
}

#[test]
fn stale_events_for_another_account_are_ignored() {
    let mut w = walk_to(Step::Review);
    w.apply(Action::Recheck, now());
    let before = w.assessment.clone();
    let effects = work_loaded(&mut w, blocked_work(&agency(), 3), now());
    assert_eq!(effects, Vec::new());
    assert_eq!(w.assessment, before);
    assert!(w.assessment.is_loading());

    w.handle(
        Event::ExportPreviewLoaded {
            account: "agency".into(),
            result: Ok(SectionCounts {
                contracts: 99,
                ..SectionCounts::default()
            }),
        },
        now(),
    );
    assert_eq!(w.export_preview, Loadable::NotLoaded);
    w.handle(
        Event::ClientsLoaded {
            account: "agency".into(),
            result: Ok(Vec::new()),
        },
        now(),
    );
    assert_eq!(w.clients, Loadable::NotLoaded);
}

#[test]
fn export_needs_an_export_or_an_existing_copy() {
    let mut w = walk_to(Step::Review);
    work_loaded(&mut w, clear_work(&freelancer()), now());
    let effects = w.apply(Action::Next, now());
    assert_eq!(w.step(), Step::Export);
    assert_eq!(
        effects,
        vec![
            Effect::LoadExportPreview {
                account: "freelancer".into()
            },
            Effect::Save(Box::new(w.saved_state())),
        ]
    );
    assert!(w.export_preview.is_loading());
    let blocked = Some(
        "Export your data first: it is gone once the account closes. Or tick that you \
         already have a copy.",
    );
    assert_eq!(w.next_blocked_reason().as_deref(), blocked);
    assert_eq!(w.apply(Action::Next, now()), Vec::new());

    w.apply(Action::SkipExport(true), now());
    assert_eq!(w.next_blocked_reason(), None);
    w.apply(Action::SkipExport(false), now());
    assert_eq!(w.next_blocked_reason().as_deref(), blocked);

    w.apply(Action::SkipExport(true), now());
    w.handle(Event::ExportFinished(Ok(export_record())), now());
    assert_eq!(w.progress.export, Some(export_record()));
    assert!(
        !w.progress.export_skipped,
        "a real export replaces the skip"
    );
    assert_eq!(w.next_blocked_reason(), None);
}

#[test]
fn a_running_export_keeps_the_user_on_the_export_page() {
    let mut w = walk_to(Step::Export);
    let parent = PathBuf::from("/home/maya/Backups");
    w.apply(Action::ChooseExportFolder(parent.clone()), now());
    let effects = w.apply(Action::StartExport, now());
    assert_eq!(
        effects,
        vec![Effect::RunExport {
            account: "freelancer".into(),
            parent: parent.clone(),
        }]
    );
    assert!(w.export_job.is_running());
    // A second start while running does nothing.
    assert_eq!(w.apply(Action::StartExport, now()), Vec::new());
    // Nor can the folder change under it.
    w.apply(
        Action::ChooseExportFolder(PathBuf::from("/elsewhere")),
        now(),
    );
    assert_eq!(w.progress.export_parent, Some(parent));

    assert_eq!(
        w.next_blocked_reason().as_deref(),
        Some("Wait for the export to finish, or cancel it.")
    );
    assert!(!w.can_go_back());
    assert_eq!(w.apply(Action::Next, now()), Vec::new());
    assert_eq!(w.apply(Action::Back, now()), Vec::new());
    assert_eq!(w.apply(Action::GoTo(Step::Connect), now()), Vec::new());
    assert_eq!(w.apply(Action::StartOver, now()), Vec::new());
    assert_eq!(w.apply(Action::ResetDemo, now()), Vec::new());
    assert_eq!(w.step(), Step::Export);

    w.handle(
        Event::ExportProgress {
            section: "messages".into(),
            sections_done: 3,
            sections_total: 9,
            records: 120,
            bytes: 4_096,
        },
        now(),
    );
    assert_eq!(
        w.export_job,
        ExportJob::Running {
            section: "messages".into(),
            sections_done: 3,
            sections_total: 9,
            records: 120,
            bytes: 4_096,
            cancelling: false,
        }
    );

    assert_eq!(
        w.apply(Action::CancelExport, now()),
        vec![Effect::CancelExport]
    );
    assert!(matches!(
        w.export_job,
        ExportJob::Running {
            cancelling: true,
            ..
        }
    ));
    w.handle(Event::ExportCancelled, now());
    assert_eq!(w.export_job, ExportJob::Cancelled);
    assert!(w.can_go_back());
    w.apply(Action::Back, now());
    assert_eq!(w.step(), Step::Review);
}

#[test]
fn a_failed_export_is_reported_and_frees_the_user() {
    let mut w = walk_to(Step::Export);
    w.handle(Event::ExportFinished(Ok(export_record())), now());
    w.apply(Action::ChooseExportFolder(PathBuf::from("/tmp/x")), now());
    w.apply(Action::StartExport, now());
    w.handle(Event::ExportFinished(Err("Disk full.".into())), now());
    assert_eq!(w.export_job, ExportJob::Failed("Disk full.".into()));
    assert_eq!(
        w.progress.export,
        Some(export_record()),
        "the earlier export stays"
    );
    assert!(w.can_go_back());
}

#[test]
fn start_export_needs_a_folder() {
    let mut w = walk_to(Step::Export);
    assert_eq!(w.apply(Action::StartExport, now()), Vec::new());
    assert_eq!(w.export_job, ExportJob::Idle);
}

#[test]
fn checklist_counts_the_items_left() {
    let mut w = walk_to(Step::Export);
    w.handle(Event::ExportFinished(Ok(export_record())), now());
    let effects = w.apply(Action::Next, now());
    assert_eq!(w.step(), Step::Checklist);
    assert_eq!(
        effects,
        vec![
            Effect::LoadClients {
                account: "freelancer".into()
            },
            Effect::Save(Box::new(w.saved_state())),
        ]
    );
    assert_eq!(
        w.next_blocked_reason().as_deref(),
        Some(
            "Tick the 6 remaining checklist items to continue; tick those that do not \
             apply to you too."
        )
    );
    for item in &ChecklistItem::ALL[..4] {
        w.apply(Action::ToggleChecklist(*item), now());
    }
    assert_eq!(
        w.next_blocked_reason().as_deref(),
        Some(
            "Tick the 2 remaining checklist items to continue; tick those that do not \
             apply to you too."
        )
    );
    w.apply(Action::ToggleChecklist(ChecklistItem::ALL[4]), now());
    assert_eq!(
        w.next_blocked_reason().as_deref(),
        Some(
            "Tick the 1 remaining checklist item to continue; tick those that do not apply \
             to you too."
        )
    );
    assert_eq!(w.apply(Action::Next, now()), Vec::new());
    // Toggling twice unticks.
    w.apply(Action::ToggleChecklist(ChecklistItem::ALL[0]), now());
    assert_eq!(w.progress.checklist.len(), 4);
    w.apply(Action::ToggleChecklist(ChecklistItem::ALL[0]), now());
    w.apply(Action::ToggleChecklist(ChecklistItem::ALL[5]), now());
    assert_eq!(w.next_blocked_reason(), None);
}

/// Resumed on the checklist, the clients load raced the connection and
/// lost: once the accounts are listed, it goes again by itself.
#[test]
fn loads_that_ran_before_the_connection_go_again_once_connected() {
    let saved = SavedState {
        progress: walk_to(Step::Checklist).progress,
        ..SavedState::default()
    };
    let (mut w, effects) = Wizard::resume(saved, now(), testing::profiles());
    assert!(effects.contains(&Effect::LoadClients {
        account: "freelancer".into()
    }));
    w.handle(
        Event::ClientsLoaded {
            account: "freelancer".into(),
            result: Err("not connected to a platform yet".into()),
        },
        now(),
    );
    let effects = w.handle(Event::AccountsLoaded(Ok(accounts())), now());
    assert_eq!(
        without_save(&effects),
        vec![Effect::LoadClients {
            account: "freelancer".into()
        }]
    );
    // Listed again with nothing failed: nothing to load.
    w.handle(
        Event::ClientsLoaded {
            account: "freelancer".into(),
            result: Ok(Vec::new()),
        },
        now(),
    );
    let effects = w.handle(Event::AccountsLoaded(Ok(accounts())), now());
    assert_eq!(without_save(&effects), Vec::<Effect>::new());
}

#[test]
fn clients_are_loaded_once_and_retried_after_failure() {
    let mut w = walk_to(Step::Checklist);
    w.handle(
        Event::ClientsLoaded {
            account: "freelancer".into(),
            result: Err("timeout".into()),
        },
        now(),
    );
    assert_eq!(w.clients.error(), Some("timeout"));
    w.apply(Action::Back, now());
    let effects = w.apply(Action::Next, now());
    assert_eq!(
        without_save(&effects),
        vec![Effect::LoadClients {
            account: "freelancer".into()
        }]
    );
    // The clients job reports the source's manual checks too.
    w.handle(
        Event::ManualChecksLoaded {
            account: "freelancer".into(),
            checks: Vec::new(),
        },
        now(),
    );
    w.handle(
        Event::ClientsLoaded {
            account: "freelancer".into(),
            result: Ok(Vec::new()),
        },
        now(),
    );
    w.apply(Action::Back, now());
    let effects = w.apply(Action::Next, now());
    assert_eq!(
        without_save(&effects),
        Vec::new(),
        "loaded clients are kept"
    );
}

#[test]
fn confirm_lists_blockers_and_the_username() {
    let mut w = walk_to(Step::Checklist);
    w.handle(
        Event::ManualChecksLoaded {
            account: "freelancer".into(),
            checks: Vec::new(),
        },
        now(),
    );
    for item in ChecklistItem::ALL {
        w.apply(Action::ToggleChecklist(item), now());
    }
    let effects = w.apply(Action::Next, now());
    assert_eq!(w.step(), Step::Confirm);
    assert_eq!(
        effects,
        vec![fetch(), Effect::Save(Box::new(w.saved_state()))]
    );
    assert_eq!(
        w.next_blocked_reason().as_deref(),
        Some(
            "The pending work is being re-checked; type the username \"maya\" exactly to \
             confirm."
        )
    );

    work_loaded(&mut w, blocked_work(&freelancer(), 1), now());
    assert_eq!(
        w.close_blocked_reason().as_deref(),
        Some(
            "1 blocker is still open on the pending-work page; type the username \"maya\" \
             exactly to confirm."
        )
    );
    assert_eq!(w.next_blocked_reason(), w.close_blocked_reason());

    w.apply(Action::Recheck, now());
    work_loaded(&mut w, blocked_work(&freelancer(), 2), now());
    w.apply(Action::TypeName("Maya".into()), now());
    assert_eq!(
        w.close_blocked_reason().as_deref(),
        Some(
            "2 blockers are still open on the pending-work page; type the username \"maya\" \
             exactly to confirm."
        )
    );
    assert_eq!(w.apply(Action::Next, now()), Vec::new());
    assert_eq!(w.apply(Action::CloseAccount, now()), Vec::new());
    assert!(!w.closing);

    w.apply(Action::TypeName("  maya ".into()), now());
    assert_eq!(
        w.close_blocked_reason().as_deref(),
        Some("2 blockers are still open on the pending-work page.")
    );
    assert_eq!(w.apply(Action::Next, now()), Vec::new());

    w.apply(Action::Recheck, now());
    w.handle(
        Event::PendingWorkLoaded {
            account: "freelancer".into(),
            result: Err("offline".into()),
        },
        now(),
    );
    assert_eq!(
        w.close_blocked_reason().as_deref(),
        Some("The pending work could not be checked; press Re-check.")
    );

    w.apply(Action::Recheck, now());
    work_loaded(&mut w, clear_work(&freelancer()), now());
    assert_eq!(w.close_blocked_reason(), None);
    assert_eq!(w.next_blocked_reason(), None);
}

#[test]
fn next_on_confirm_closes_with_a_draft_receipt() {
    let mut w = walk_to(Step::Confirm);
    work_loaded(&mut w, clear_work(&freelancer()), now());
    w.apply(Action::TypeName("maya".into()), now());
    let effects = w.apply(Action::Next, now());
    let draft = Receipt {
        closed_at: now(),
        platform: testing::DEMO.id.clone(),
        account: freelancer(),
        reason: "I found work outside the platform".into(),
        feedback: String::new(),
        reference: String::new(),
        reactivate_until: None,
        export_manifest_sha256: Some(export_record().manifest_sha256),
        receipt_path: None,
        evidence: None,
        check: None,
    };
    match without_save(&effects).as_slice() {
        [
            Effect::CloseAccount {
                clearance,
                receipt,
                export_folder,
            },
        ] => {
            assert_eq!(clearance.account(), "freelancer");
            assert_eq!(clearance.cleared_at(), now());
            assert_eq!(**receipt, draft);
            assert_eq!(export_folder, &Some(export_record().folder));
        }
        other => panic!("expected one close effect, got {other:?}"),
    }
    assert!(w.closing);
    assert_eq!(
        w.close_blocked_reason().as_deref(),
        Some("Closing is under way.")
    );
    // No second close, no leaving, no re-check while closing.
    assert_eq!(w.apply(Action::Next, now()), Vec::new());
    assert_eq!(w.apply(Action::Back, now()), Vec::new());
    assert_eq!(w.apply(Action::GoTo(Step::Review), now()), Vec::new());
    assert_eq!(w.tick(now() + Duration::hours(1)), Vec::new());
    assert_eq!(w.step(), Step::Confirm);
}

#[test]
fn close_only_works_on_the_confirm_step() {
    let mut w = walk_to(Step::Confirm);
    work_loaded(&mut w, clear_work(&freelancer()), now());
    w.apply(Action::TypeName("maya".into()), now());
    w.apply(Action::GoTo(Step::Checklist), now());
    assert_eq!(
        without_save(&w.apply(Action::CloseAccount, now())),
        Vec::new()
    );
    assert!(!w.closing);
}

// ----- moving between steps -----

#[test]
fn back_and_next_move_one_step_and_furthest_remembers() {
    let mut w = walk_to(Step::Review);
    assert_eq!(w.progress.furthest, Step::Review);
    assert!(w.can_go_back());
    let effects = w.apply(Action::Back, now());
    assert_eq!(w.step(), Step::Feedback);
    assert_eq!(w.progress.furthest, Step::Review);
    assert_eq!(effects, vec![Effect::Save(Box::new(w.saved_state()))]);
    w.apply(Action::Back, now());
    w.apply(Action::Back, now());
    w.apply(Action::Back, now());
    assert_eq!(w.step(), Step::Welcome);
    assert_eq!(w.progress.furthest, Step::Review);
    assert!(!w.can_go_back());
    assert_eq!(w.apply(Action::Back, now()), Vec::new());
    w.apply(Action::Next, now());
    assert_eq!(w.step(), Step::Connect);
    assert_eq!(w.progress.furthest, Step::Review);
}

#[test]
fn go_to_opens_only_visited_steps() {
    let mut w = walk_to(Step::Review);
    work_loaded(&mut w, clear_work(&freelancer()), now());
    for step in Step::ALL {
        assert_eq!(w.can_visit(step), step <= Step::Review, "{step:?}");
    }
    assert_eq!(w.apply(Action::GoTo(Step::Export), now()), Vec::new());
    assert_eq!(w.apply(Action::GoTo(Step::Done), now()), Vec::new());
    assert_eq!(w.step(), Step::Review);
    // The current step is no move.
    assert_eq!(w.apply(Action::GoTo(Step::Review), now()), Vec::new());

    let effects = w.apply(Action::GoTo(Step::Connect), now());
    assert_eq!(w.step(), Step::Connect);
    assert_eq!(w.progress.furthest, Step::Review);
    assert_eq!(effects, vec![Effect::Save(Box::new(w.saved_state()))]);

    // Back to the review: blockers are live, fetched again.
    let effects = w.apply(Action::GoTo(Step::Review), now());
    assert_eq!(w.step(), Step::Review);
    assert_eq!(
        effects,
        vec![fetch(), Effect::Save(Box::new(w.saved_state()))]
    );
}

#[test]
fn entering_confirm_fetches_pending_work_again() {
    let mut w = walk_to(Step::Confirm);
    work_loaded(&mut w, clear_work(&freelancer()), now());
    w.apply(Action::GoTo(Step::Export), now());
    let effects = w.apply(Action::GoTo(Step::Confirm), now());
    assert_eq!(
        effects,
        vec![fetch(), Effect::Save(Box::new(w.saved_state()))]
    );
}

#[test]
fn choosing_another_account_forgets_account_tied_progress() {
    let mut w = walk_to(Step::Confirm);
    work_loaded(&mut w, clear_work(&freelancer()), now());
    w.apply(
        Action::EditFarewell {
            client: "Ana Lima".into(),
            text: "Bye Ana".into(),
        },
        now(),
    );
    w.apply(Action::TypeName("maya".into()), now());
    w.apply(Action::GoTo(Step::Feedback), now());
    w.apply(Action::SetFeedback("Fees.".into()), now());
    w.apply(Action::GoTo(Step::Connect), now());
    assert_eq!(w.progress.furthest, Step::Confirm);

    // Picking the same account again changes nothing.
    assert_eq!(
        w.apply(Action::ChooseAccount("freelancer".into()), now()),
        Vec::new()
    );
    assert_eq!(w.progress.furthest, Step::Confirm);

    let effects = w.apply(Action::ChooseAccount("agency".into()), now());
    assert_eq!(effects, vec![Effect::Save(Box::new(w.saved_state()))]);
    let p = &w.progress;
    assert_eq!(p.account, Some(agency()));
    assert_eq!(p.step, Step::Connect);
    assert_eq!(p.furthest, Step::Connect);
    assert_eq!(p.export, None);
    assert!(!p.export_skipped);
    assert!(p.farewells.is_empty());
    assert_eq!(p.typed_name, "");
    assert!(
        p.checklist.is_empty(),
        "the checklist was ticked for the other account"
    );
    assert_eq!(w.assessment, Loadable::NotLoaded);
    assert_eq!(w.export_preview, Loadable::NotLoaded);
    assert_eq!(w.clients, Loadable::NotLoaded);
    // What is about the user, not the account, stays.
    assert_eq!(p.reason, Some(LeaveReason::FoundWorkOutside));
    assert_eq!(p.feedback, "Fees.");
    assert!(!w.can_visit(Step::Reason));
    assert_eq!(w.apply(Action::GoTo(Step::Review), now()), Vec::new());

    // Walking on fetches for the new account.
    w.apply(Action::Next, now());
    w.apply(Action::Next, now());
    let effects = w.apply(Action::Next, now());
    assert_eq!(w.step(), Step::Review);
    assert_eq!(
        without_save(&effects),
        vec![Effect::FetchPendingWork {
            account: "agency".into()
        }]
    );
}

#[test]
fn a_result_for_the_previous_account_does_not_land_on_the_new_one() {
    let mut w = walk_to(Step::Review);
    w.apply(Action::Recheck, now());
    w.apply(Action::GoTo(Step::Connect), now());
    w.apply(Action::ChooseAccount("agency".into()), now());
    w.apply(Action::Next, now());
    w.apply(Action::Next, now());
    w.apply(Action::Next, now());
    assert_eq!(w.step(), Step::Review);
    work_loaded(&mut w, blocked_work(&freelancer(), 1), now());
    assert!(w.assessment.is_loading());
    work_loaded(&mut w, clear_work(&agency()), now());
    assert_eq!(
        w.assessment.value().map(|a| a.account.id.as_str()),
        Some("agency")
    );
}

#[test]
fn accounts_loaded_without_the_chosen_account_goes_back_to_connect() {
    let mut w = walk_to(Step::Checklist);
    assert_eq!(w.progress.export, Some(export_record()));
    w.handle(Event::AccountsLoaded(Ok(vec![agency()])), now());
    assert_eq!(w.step(), Step::Connect);
    assert_eq!(w.progress.furthest, Step::Connect);
    assert_eq!(w.account(), None);
    assert_eq!(w.progress.export, None);
}

#[test]
fn accounts_loaded_refreshes_the_chosen_account() {
    let mut w = walk_to(Step::Reason);
    let mut renamed = freelancer();
    renamed.display_name = "Maya O.".into();
    let effects = w.handle(Event::AccountsLoaded(Ok(vec![renamed.clone()])), now());
    assert_eq!(w.account(), Some(&renamed));
    assert_eq!(w.step(), Step::Reason);
    assert_eq!(effects, vec![Effect::Save(Box::new(w.saved_state()))]);
}

// ----- effects and saving -----

#[test]
fn a_change_saves_the_new_state_and_no_change_saves_nothing() {
    let mut w = walk_to(Step::Reason);
    let effects = w.apply(Action::ChooseReason(LeaveReason::FeesNotWorthIt), now());
    let [Effect::Save(saved)] = effects.as_slice() else {
        panic!("expected one Save, got {effects:?}");
    };
    assert_eq!(**saved, w.saved_state());
    assert_eq!(saved.schema_version, SCHEMA_VERSION);
    assert_eq!(saved.progress.reason, Some(LeaveReason::FeesNotWorthIt));
    assert_eq!(saved.progress.step, Step::Reason);

    assert_eq!(
        w.apply(Action::ChooseReason(LeaveReason::FeesNotWorthIt), now()),
        Vec::new()
    );
    assert_eq!(w.apply(Action::DismissNotice, now()), Vec::new());
    assert_eq!(w.apply(Action::GoTo(Step::Reason), now()), Vec::new());
}

#[test]
fn farewells_are_saved_and_reset() {
    let mut w = walk_to(Step::Checklist);
    let effects = w.apply(
        Action::EditFarewell {
            client: "Ana Lima".into(),
            text: "Thanks Ana".into(),
        },
        now(),
    );
    assert_eq!(effects, vec![Effect::Save(Box::new(w.saved_state()))]);
    assert_eq!(
        w.progress.farewells.get("Ana Lima").map(String::as_str),
        Some("Thanks Ana")
    );
    w.apply(Action::ResetFarewell("Ana Lima".into()), now());
    assert!(w.progress.farewells.is_empty());
    assert_eq!(
        w.apply(Action::ResetFarewell("Ana Lima".into()), now()),
        Vec::new()
    );
}

#[test]
fn save_text_writes_and_reports() {
    let mut w = walk_to(Step::Reason);
    let path = PathBuf::from("/tmp/letter.txt");
    let effects = w.apply(
        Action::SaveText {
            path: path.clone(),
            contents: "Dear DPO".into(),
        },
        now(),
    );
    assert_eq!(
        effects,
        vec![Effect::WriteText {
            path: path.clone(),
            contents: "Dear DPO".into(),
        }]
    );
    w.handle(Event::TextSaved(Ok(path)), now());
    assert_eq!(
        w.notice,
        Some(Notice {
            kind: NoticeKind::Info,
            text: "Saved to /tmp/letter.txt".into(),
        })
    );
    w.apply(Action::DismissNotice, now());
    assert_eq!(w.notice, None);
    w.handle(Event::SaveFailed("Disk full.".into()), now());
    assert_eq!(w.notice.as_ref().map(|n| n.kind), Some(NoticeKind::Error));
    assert!(
        w.notice.as_ref().is_some_and(|n| n
            .text
            .starts_with("Your progress could not be saved: Disk full.")),
        "{:?}",
        w.notice
    );
}

// ----- resolving -----

#[test]
fn resolved_appends_to_account_changes_and_refetches() {
    let mut w = walk_to(Step::Review);
    w.apply(Action::Recheck, now());
    work_loaded(&mut w, blocked_work(&freelancer(), 2), now());

    let effects = w.apply(Action::Resolve(withdraw("p-1")), now());
    assert_eq!(
        effects,
        vec![Effect::Resolve {
            account: "freelancer".into(),
            resolution: withdraw("p-1"),
        }]
    );
    assert!(w.resolving.contains(&withdraw("p-1")));
    // The same resolution is not sent twice.
    assert_eq!(w.apply(Action::Resolve(withdraw("p-1")), now()), Vec::new());
    w.apply(Action::Resolve(withdraw("p-2")), now());

    let change = AccountChange {
        account: "freelancer".into(),
        at: now(),
        change: ChangeKind::Resolved {
            resolution: withdraw("p-1"),
        },
    };
    let effects = w.handle(
        Event::Resolved {
            resolution: withdraw("p-1"),
            change: Ok(change.clone()),
        },
        now(),
    );
    assert_eq!(w.account_changes, vec![change]);
    assert_eq!(
        w.resolving.iter().cloned().collect::<Vec<_>>(),
        vec![withdraw("p-2")]
    );
    assert_eq!(
        effects,
        vec![fetch(), Effect::Save(Box::new(w.saved_state()))]
    );
    assert!(w.assessment.is_loading());
}

#[test]
fn a_failed_resolution_is_shown_and_refetches() {
    let mut w = walk_to(Step::Review);
    work_loaded(&mut w, blocked_work(&freelancer(), 1), now());
    w.apply(Action::Resolve(withdraw("p-1")), now());
    let effects = w.handle(
        Event::Resolved {
            resolution: withdraw("p-1"),
            change: Err("The proposal is already withdrawn.".into()),
        },
        now(),
    );
    assert_eq!(effects, vec![fetch()]);
    assert!(w.resolving.is_empty());
    assert!(w.account_changes.is_empty());
    assert_eq!(
        w.notice,
        Some(Notice {
            kind: NoticeKind::Error,
            text: "The proposal is already withdrawn.".into(),
        })
    );
}

// ----- closing -----

fn outcome() -> ClosureOutcome {
    ClosureOutcome {
        closed_at: at(2026, 11, 23, 10, 0, 3),
        reference: "DEMO-CLOSE-0042".into(),
        reactivate_until: Some(at(2031, 11, 23, 10, 0, 3)),
        evidence: None,
        check: Some(ClosureCheck::ClosedByPlatform),
    }
}

/// On Confirm, with reason "Other", feedback, an export, nothing in the way.
fn ready_to_close() -> Wizard {
    let mut w = walk_to(Step::Confirm);
    w.apply(Action::GoTo(Step::Reason), now());
    w.apply(Action::ChooseReason(LeaveReason::Other), now());
    w.apply(Action::SetOtherReason(" Moving abroad  ".into()), now());
    w.apply(Action::GoTo(Step::Feedback), now());
    w.apply(Action::SetFeedback("Fees went up.".into()), now());
    w.apply(Action::GoTo(Step::Confirm), now());
    work_loaded(&mut w, clear_work(&freelancer()), now());
    w.apply(Action::TypeName("maya".into()), now());
    assert_eq!(w.close_blocked_reason(), None);
    w
}

#[test]
fn closed_ok_goes_to_done_with_a_full_receipt() {
    let mut w = ready_to_close();
    let effects = w.apply(Action::CloseAccount, now());
    assert_eq!(effects.len(), 1, "{effects:?}");
    let path = PathBuf::from("/home/maya/Offboard/receipt.txt");
    let effects = w.handle(Event::Closed(Ok((outcome(), Some(path.clone())))), now());

    let receipt = Receipt {
        closed_at: outcome().closed_at,
        platform: testing::DEMO.id.clone(),
        account: freelancer(),
        reason: "Other: Moving abroad".into(),
        feedback: "Fees went up.".into(),
        reference: "DEMO-CLOSE-0042".into(),
        reactivate_until: outcome().reactivate_until,
        export_manifest_sha256: Some(export_record().manifest_sha256),
        receipt_path: Some(path),
        evidence: None,
        check: Some(ClosureCheck::ClosedByPlatform),
    };
    assert_eq!(w.progress.receipt, Some(receipt));
    assert_eq!(w.step(), Step::Done);
    assert_eq!(w.progress.furthest, Step::Done);
    assert!(!w.closing);
    assert!(w.is_closed());
    assert_eq!(w.close_error, None);
    assert_eq!(
        w.account_changes.last(),
        Some(&AccountChange {
            account: "freelancer".into(),
            at: outcome().closed_at,
            change: ChangeKind::Closed { outcome: outcome() },
        })
    );
    assert_eq!(effects, vec![Effect::Save(Box::new(w.saved_state()))]);

    // Once closed, only the done page is left.
    for step in Step::ALL {
        assert_eq!(w.can_visit(step), step == Step::Done, "{step:?}");
    }
    assert!(!w.can_go_back());
    assert_eq!(
        w.next_blocked_reason().as_deref(),
        Some("The account is closed.")
    );
    assert_eq!(w.apply(Action::Back, now()), Vec::new());
    assert_eq!(w.apply(Action::GoTo(Step::Review), now()), Vec::new());
    assert_eq!(w.apply(Action::Recheck, now()), Vec::new());
    assert_eq!(w.apply(Action::Resolve(withdraw("p-1")), now()), Vec::new());
    assert_eq!(
        w.apply(Action::ChooseAccount("agency".into()), now()),
        Vec::new()
    );
    assert_eq!(w.tick(now() + Duration::hours(1)), Vec::new());
}

#[test]
fn receipt_without_export_has_no_manifest_hash() {
    let mut w = ready_to_close();
    // As if the user had skipped the export instead.
    w.progress.export = None;
    w.progress.export_skipped = true;
    w.apply(Action::CloseAccount, now());
    w.handle(Event::Closed(Ok((outcome(), None))), now());
    let receipt = w.progress.receipt.clone().expect("closed");
    assert_eq!(receipt.export_manifest_sha256, None);
    assert_eq!(receipt.receipt_path, None);
}

#[test]
fn closed_err_stays_on_confirm_and_shows_the_error() {
    let mut w = ready_to_close();
    w.apply(Action::CloseAccount, now());
    let effects = w.handle(
        Event::Closed(Err("You still have an open contract.".into())),
        now(),
    );
    assert_eq!(w.step(), Step::Confirm);
    assert!(!w.closing);
    assert_eq!(w.progress.receipt, None);
    assert_eq!(
        w.close_error.as_deref(),
        Some("You still have an open contract.")
    );
    assert_eq!(effects, vec![fetch()]);
    assert!(w.account_changes.is_empty());
    assert!(w.can_go_back());

    // Moving on clears the error.
    w.apply(Action::Back, now());
    assert_eq!(w.close_error, None);
}

// ----- re-checking -----

#[test]
fn tick_rechecks_the_review_after_recheck_after() {
    let mut w = walk_to(Step::Review);
    w.apply(Action::Recheck, now());
    work_loaded(&mut w, clear_work(&freelancer()), now());
    assert_eq!(
        w.tick(now() + RECHECK_AFTER - Duration::seconds(1)),
        Vec::new()
    );
    assert_eq!(w.tick(now() + RECHECK_AFTER), vec![fetch()]);
    assert!(w.assessment.is_loading());
    assert_eq!(
        w.tick(now() + RECHECK_AFTER * 5),
        Vec::new(),
        "already loading"
    );

    let later = now() + RECHECK_AFTER;
    work_loaded(&mut w, clear_work(&freelancer()), later);
    assert_eq!(w.tick(later + Duration::seconds(30)), Vec::new());
    assert_eq!(w.tick(later + RECHECK_AFTER), vec![fetch()]);
}

#[test]
fn tick_waits_while_a_resolution_is_under_way() {
    let mut w = walk_to(Step::Review);
    w.apply(Action::Recheck, now());
    work_loaded(&mut w, blocked_work(&freelancer(), 1), now());
    w.apply(Action::Resolve(withdraw("p-1")), now());
    assert_eq!(w.tick(now() + Duration::hours(1)), Vec::new());
}

#[test]
fn tick_rechecks_on_confirm() {
    let mut w = walk_to(Step::Confirm);
    work_loaded(&mut w, clear_work(&freelancer()), now());
    assert_eq!(w.tick(now() + Duration::seconds(59)), Vec::new());
    assert_eq!(w.tick(now() + Duration::seconds(60)), vec![fetch()]);
}

#[test]
fn tick_does_nothing_on_other_steps() {
    let mut w = walk_to(Step::Export);
    assert!(matches!(w.assessment, Loadable::Loaded(_)));
    assert_eq!(w.tick(now() + Duration::hours(1)), Vec::new());
    w.apply(Action::ChooseExportFolder(PathBuf::from("/tmp")), now());
    w.handle(Event::ExportFinished(Ok(export_record())), now());
    w.apply(Action::Next, now());
    assert_eq!(w.step(), Step::Checklist);
    assert_eq!(w.tick(now() + Duration::hours(1)), Vec::new());
}

#[test]
fn tick_does_not_retry_a_failed_review() {
    let mut w = walk_to(Step::Review);
    w.apply(Action::Recheck, now());
    w.handle(
        Event::PendingWorkLoaded {
            account: "freelancer".into(),
            result: Err("offline".into()),
        },
        now(),
    );
    assert_eq!(w.tick(now() + Duration::hours(1)), Vec::new());
}

// ----- preferences -----

#[test]
fn the_theme_is_saved_and_outlives_start_over() {
    let mut w = walk_to(Step::Reason);
    let effects = w.apply(Action::SetTheme(ThemeChoice::Dark), now());
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Save(s) if s.prefs.theme == ThemeChoice::Dark)),
        "{effects:?}"
    );
    w.apply(Action::StartOver, now());
    assert_eq!(w.step(), Step::Welcome);
    assert_eq!(w.prefs.theme, ThemeChoice::Dark);
    let (resumed, _) = Wizard::resume(w.saved_state(), now(), testing::profiles());
    assert_eq!(resumed.prefs.theme, ThemeChoice::Dark);
}

#[test]
fn a_saved_file_from_before_preferences_reads_as_following_the_system() {
    let mut json = serde_json::to_value(walk_to(Step::Reason).saved_state()).unwrap_or_default();
    if let Some(object) = json.as_object_mut() {
        object.remove("prefs");
    }
    let saved: SavedState = serde_json::from_value(json).unwrap_or_default();
    assert_eq!(saved.progress.step, Step::Reason, "the file did not read");
    assert_eq!(saved.prefs.theme, ThemeChoice::System);
}

// ----- timed changes (what the window wakes for) -----

#[test]
fn pages_without_live_checks_have_nothing_timed() {
    for step in [Step::Connect, Step::Export, Step::Checklist] {
        let w = walk_to(step);
        assert_eq!(w.next_timed_change(now()), None, "{step:?}");
        assert_eq!(
            w.next_timed_change(now() + Duration::days(1)),
            None,
            "{step:?}"
        );
    }
}

#[test]
fn the_review_wakes_for_its_recheck_and_not_before() {
    let mut w = walk_to(Step::Review);
    w.apply(Action::Recheck, now());
    assert_eq!(
        w.next_timed_change(now()),
        None,
        "loading: the answer wakes it"
    );
    work_loaded(&mut w, clear_work(&freelancer()), now());
    let due = now() + RECHECK_AFTER;
    assert_eq!(w.next_timed_change(now()), Some(due));
    // Ticked just before: nothing to do, and still the same moment.
    assert_eq!(w.tick(due - Duration::milliseconds(1)), Vec::new());
    assert_eq!(
        w.next_timed_change(due - Duration::milliseconds(1)),
        Some(due)
    );
    // At that moment the tick re-checks, as scheduled.
    assert_eq!(w.tick(due), vec![fetch()]);
    assert_eq!(w.next_timed_change(due), None);
}

#[test]
fn the_close_page_wakes_when_the_review_turns_stale() {
    let mut w = walk_to(Step::Confirm);
    work_loaded(&mut w, blocked_work(&freelancer(), 1), now());
    assert_eq!(w.next_timed_change(now()), Some(now() + RECHECK_AFTER));
    // A resolution under way holds the re-check back, so the next change
    // is the moment the gate starts calling the review stale.
    w.apply(Action::Resolve(withdraw("p-1")), now());
    let stale_at = w.next_timed_change(now()).unwrap_or_default();
    assert_eq!(stale_at, review_stale_at(now()));
    let mut blocks_at = |t| {
        assert_eq!(w.tick(t), Vec::new());
        w.close_blocks()
    };
    let before = blocks_at(stale_at - Duration::nanoseconds(1));
    assert!(
        !before
            .iter()
            .any(|b| matches!(b, CloseBlock::ReviewStale { .. }))
    );
    let at = blocks_at(stale_at);
    assert!(
        at.iter()
            .any(|b| matches!(b, CloseBlock::ReviewStale { .. }))
    );
    assert_eq!(w.next_timed_change(stale_at), None);
}

// ----- resuming -----

#[test]
fn saved_state_round_trips_and_resumes_on_the_same_step() -> Result<(), serde_json::Error> {
    let mut w = walk_to(Step::Checklist);
    w.apply(
        Action::ToggleChecklist(ChecklistItem::DownloadTaxForms),
        now(),
    );
    w.apply(
        Action::EditFarewell {
            client: "Ana Lima".into(),
            text: "Até logo, Ana 👋".into(),
        },
        now(),
    );
    w.account_changes.push(AccountChange {
        account: "freelancer".into(),
        at: now(),
        change: ChangeKind::Resolved {
            resolution: withdraw("p-9"),
        },
    });
    let saved = w.saved_state();
    let json = serde_json::to_string_pretty(&saved)?;
    let back: SavedState = serde_json::from_str(&json)?;
    assert_eq!(back, saved);

    let (r, effects) = Wizard::resume(back, now(), testing::profiles());
    assert_eq!(r.step(), Step::Checklist);
    assert_eq!(r.progress, w.progress);
    assert_eq!(r.account_changes, w.account_changes);
    assert_eq!(
        effects,
        vec![
            Effect::LoadAccounts {
                platform: testing::DEMO.id.clone(),
                changes: w.account_changes.clone(),
                sources: SourceSettings::default(),
            },
            Effect::LoadClients {
                account: "freelancer".into()
            },
        ]
    );
    assert_eq!(r.next_blocked_reason(), w.next_blocked_reason());
    Ok(())
}

#[test]
fn resuming_on_review_fetches_pending_work() -> Result<(), serde_json::Error> {
    let w = walk_to(Step::Review);
    let json = serde_json::to_string(&w.saved_state())?;
    let (r, effects) = Wizard::resume(serde_json::from_str(&json)?, now(), testing::profiles());
    assert_eq!(r.step(), Step::Review);
    assert_eq!(r.progress.furthest, Step::Review);
    assert_eq!(
        effects,
        vec![
            Effect::LoadAccounts {
                platform: testing::DEMO.id.clone(),
                changes: Vec::new(),
                sources: SourceSettings::default(),
            },
            fetch(),
        ]
    );
    assert!(r.assessment.is_loading());
    Ok(())
}

#[test]
fn a_state_with_a_receipt_resumes_on_done() -> Result<(), serde_json::Error> {
    let mut w = ready_to_close();
    w.apply(Action::CloseAccount, now());
    w.handle(Event::Closed(Ok((outcome(), None))), now());
    let mut saved = w.saved_state();
    // Even if the step on file says otherwise.
    saved.progress.step = Step::Confirm;
    let json = serde_json::to_string(&saved)?;
    let (r, effects) = Wizard::resume(serde_json::from_str(&json)?, now(), testing::profiles());
    assert_eq!(r.step(), Step::Done);
    assert!(r.is_closed());
    assert_eq!(r.progress.receipt, w.progress.receipt);
    assert_eq!(
        effects,
        vec![Effect::LoadAccounts {
            platform: testing::DEMO.id.clone(),
            changes: w.account_changes.clone(),
            sources: SourceSettings::default(),
        }]
    );
    Ok(())
}

#[test]
fn done_without_a_receipt_resumes_on_confirm() {
    let saved = SavedState {
        schema_version: SCHEMA_VERSION,
        progress: Progress {
            step: Step::Done,
            furthest: Step::Done,
            account: Some(freelancer()),
            ..Progress::default()
        },
        account_changes: Vec::new(),
        prefs: UiPrefs::default(),
    };
    let (r, effects) = Wizard::resume(saved, now(), testing::profiles());
    assert_eq!(r.step(), Step::Confirm);
    assert!(!r.is_closed());
    assert_eq!(
        effects,
        vec![
            Effect::LoadAccounts {
                platform: testing::DEMO.id.clone(),
                changes: Vec::new(),
                sources: SourceSettings::default(),
            },
            fetch(),
            // The close gate needs the source's manual checks.
            Effect::LoadClients {
                account: "freelancer".into()
            },
        ]
    );
}

#[test]
fn a_step_past_furthest_raises_furthest() {
    let saved = SavedState {
        schema_version: SCHEMA_VERSION,
        progress: Progress {
            step: Step::Feedback,
            furthest: Step::Connect,
            account: Some(freelancer()),
            ..Progress::default()
        },
        account_changes: Vec::new(),
        prefs: UiPrefs::default(),
    };
    let (r, _) = Wizard::resume(saved, now(), testing::profiles());
    assert_eq!(r.step(), Step::Feedback);
    assert_eq!(r.progress.furthest, Step::Feedback);
}

// ----- starting over -----

fn with_a_change() -> Wizard {
    let mut w = walk_to(Step::Review);
    w.apply(Action::Resolve(withdraw("p-1")), now());
    w.handle(
        Event::Resolved {
            resolution: withdraw("p-1"),
            change: Ok(AccountChange {
                account: "freelancer".into(),
                at: now(),
                change: ChangeKind::Resolved {
                    resolution: withdraw("p-1"),
                },
            }),
        },
        now(),
    );
    assert_eq!(w.account_changes.len(), 1);
    w
}

#[test]
fn start_over_keeps_account_changes() {
    let mut w = with_a_change();
    let changes = w.account_changes.clone();
    let effects = w.apply(Action::StartOver, now());
    assert_eq!(w.progress, Progress::default());
    assert_eq!(w.account_changes, changes);
    assert_eq!(w.assessment, Loadable::NotLoaded);
    assert!(w.resolving.is_empty());
    assert_eq!(effects, vec![Effect::Save(Box::new(w.saved_state()))]);
    let Some(Effect::Save(saved)) = effects.last() else {
        panic!("expected a Save, got {effects:?}");
    };
    assert_eq!(saved.account_changes, changes);
    // The account list is still there to choose from.
    assert!(matches!(w.accounts, Loadable::Loaded(_)));
}

#[test]
fn start_over_after_closing_begins_again() {
    let mut w = ready_to_close();
    w.apply(Action::CloseAccount, now());
    w.handle(Event::Closed(Ok((outcome(), None))), now());
    w.apply(Action::StartOver, now());
    assert_eq!(w.step(), Step::Welcome);
    assert!(!w.is_closed());
    assert_eq!(w.account_changes.len(), 1, "the closure is remembered");
}

#[test]
fn reset_demo_clears_account_changes_and_reloads() {
    let mut w = with_a_change();
    let effects = w.apply(Action::ResetDemo, now());
    assert!(w.account_changes.is_empty());
    assert_eq!(w.progress, Progress::default());
    assert_eq!(
        effects,
        vec![Effect::ResetDemo, Effect::Save(Box::new(w.saved_state()))]
    );
    assert!(w.accounts.is_loading());

    let effects = w.handle(Event::DemoReset, now());
    assert_eq!(
        effects,
        vec![Effect::LoadAccounts {
            platform: testing::DEMO.id.clone(),
            changes: Vec::new(),
            sources: SourceSettings::default(),
        }]
    );
    assert_eq!(
        w.notice,
        Some(Notice {
            kind: NoticeKind::Info,
            text: "The demo accounts are back to how they started.".into(),
        })
    );
}

// ----- small pieces -----

#[test]
fn steps_are_in_order() {
    assert_eq!(Step::Welcome.next(), Some(Step::Connect));
    assert_eq!(Step::Confirm.next(), Some(Step::Done));
    assert_eq!(Step::Done.next(), None);
    assert_eq!(Step::Welcome.previous(), None);
    assert_eq!(Step::Review.previous(), Some(Step::Feedback));
    for (i, step) in Step::ALL.into_iter().enumerate() {
        assert_eq!(step.index(), i);
    }
}

#[test]
fn loadable_keeps_the_previous_value_while_reloading() {
    let mut l: Loadable<u32> = Loadable::NotLoaded;
    assert_eq!(l.value(), None);
    l.begin();
    assert_eq!(l, Loadable::Loading { previous: None });
    l.finish(Ok(7));
    assert_eq!(l.value(), Some(&7));
    l.begin();
    assert_eq!(l.value(), Some(&7));
    assert!(l.is_loading());
    l.finish(Err("boom".into()));
    assert_eq!(l.error(), Some("boom"));
    assert_eq!(l.value(), Some(&7));
    l.begin();
    l.finish(Err("again".into()));
    assert_eq!(
        l,
        Loadable::Failed {
            message: "again".into(),
            previous: Some(7),
        }
    );
}

#[test]
fn a_change_during_a_check_triggers_one_more_check() {
    let mut w = walk_to(Step::Review);
    work_loaded(&mut w, blocked_work(&freelancer(), 2), now());
    w.apply(Action::Resolve(withdraw("p-1")), now());
    w.apply(Action::Resolve(withdraw("p-2")), now());
    let change = |id: &str| AccountChange {
        account: "freelancer".into(),
        at: now(),
        change: ChangeKind::Resolved {
            resolution: withdraw(id),
        },
    };
    // The first change starts a check; the second lands while it runs.
    let first = w.handle(
        Event::Resolved {
            resolution: withdraw("p-1"),
            change: Ok(change("p-1")),
        },
        now(),
    );
    assert!(first.contains(&fetch()));
    let second = w.handle(
        Event::Resolved {
            resolution: withdraw("p-2"),
            change: Ok(change("p-2")),
        },
        now(),
    );
    assert!(!second.contains(&fetch()), "no second fetch while one runs");
    // The first answer may predate the second change: fetch again, once.
    let effects = work_loaded(&mut w, blocked_work(&freelancer(), 1), now());
    assert_eq!(effects, vec![fetch()]);
    assert!(w.assessment.is_loading());
    let effects = work_loaded(&mut w, blocked_work(&freelancer(), 0), now());
    assert_eq!(effects, Vec::new());
    assert_eq!(w.assessment.value().map(Assessment::blocker_count), Some(0));
}

#[test]
fn verify_needs_an_export_and_reports_problems() {
    let mut w = walk_to(Step::Export);
    assert_eq!(w.apply(Action::VerifyExport, now()), Vec::new());
    w.handle(Event::ExportFinished(Ok(export_record())), now());
    let effects = w.apply(Action::VerifyExport, now());
    assert_eq!(
        effects,
        vec![Effect::VerifyExport {
            folder: export_record().folder
        }]
    );
    assert!(w.verification.is_loading());
    // Not twice at once.
    assert_eq!(w.apply(Action::VerifyExport, now()), Vec::new());
    let outcome = VerifyOutcome {
        files_checked: 12,
        records: 3400,
        problems: vec![("contracts.json".into(), "SHA-256 differs".into())],
    };
    w.handle(Event::Verified(Ok(outcome.clone())), now());
    assert_eq!(w.verification, Loadable::Loaded(outcome));
    // A fresh export makes the old verdict meaningless.
    w.handle(Event::ExportFinished(Ok(export_record())), now());
    assert_eq!(w.verification, Loadable::NotLoaded);
}

#[test]
fn fetch_progress_shows_while_loading_and_cancel_is_sent() {
    let mut w = walk_to(Step::Review);
    assert!(w.assessment.is_loading());
    let status = FetchStatus {
        current: "transactions 2024-03".into(),
        queries: 41,
        records: 1200,
    };
    w.handle(Event::FetchProgress(status.clone()), now());
    assert_eq!(w.fetch_status, Some(status));
    assert_eq!(
        w.apply(Action::CancelFetch, now()),
        vec![Effect::CancelFetch]
    );
    w.handle(
        Event::PendingWorkLoaded {
            account: "freelancer".into(),
            result: Err("the fetch was cancelled".into()),
        },
        now(),
    );
    assert_eq!(w.fetch_status, None);
    assert_eq!(w.assessment.error(), Some("the fetch was cancelled"));
    // Nothing to cancel once the fetch is over.
    assert_eq!(w.apply(Action::CancelFetch, now()), Vec::new());
}

#[test]
fn csv_files_reload_the_source_and_manual_checks_gate_the_checklist() {
    let mut w = fresh();
    w.apply(Action::ChoosePlatform(testing::FILES.id.clone()), now());
    let effects = w.apply(
        Action::AddCsvFiles(vec![PathBuf::from("/tmp/a.csv")]),
        now(),
    );
    assert_eq!(
        effects,
        vec![
            Effect::LoadAccounts {
                platform: testing::FILES.id.clone(),
                changes: Vec::new(),
                sources: SourceSettings {
                    csv_files: vec![PathBuf::from("/tmp/a.csv")],
                    csv_kind: None,
                    api_base: None,
                    ..SourceSettings::default()
                },
            },
            Effect::Save(Box::new(w.saved_state())),
        ]
    );
    // The same file twice changes nothing.
    assert_eq!(
        w.apply(
            Action::AddCsvFiles(vec![PathBuf::from("/tmp/a.csv")]),
            now()
        ),
        Vec::new()
    );
    // Saying which kind of account the files are from reads them again.
    let effects = w.apply(Action::SetCsvKind(Some(AccountKind::Agency)), now());
    assert!(
        matches!(&effects[0], Effect::LoadAccounts { sources, .. }
            if sources.csv_kind == Some(AccountKind::Agency)),
        "{effects:?}"
    );
    assert_eq!(
        w.apply(Action::SetCsvKind(Some(AccountKind::Agency)), now()),
        Vec::new()
    );

    let mut w = walk_to(Step::Checklist);
    for item in ChecklistItem::ALL {
        w.apply(Action::ToggleChecklist(item), now());
    }
    assert_eq!(w.next_blocked_reason(), None);
    w.handle(
        Event::ManualChecksLoaded {
            account: "freelancer".into(),
            checks: vec![ManualCheck {
                id: "contracts".into(),
                label: "No contract is still open".into(),
                where_to_check: "My Jobs".into(),
            }],
        },
        now(),
    );
    assert!(
        w.next_blocked_reason()
            .is_some_and(|r| r.contains("the 1 remaining checklist item "))
    );
    w.apply(Action::ToggleManualCheck("contracts".into()), now());
    assert_eq!(w.next_blocked_reason(), None);
}

#[test]
fn closing_on_the_website_must_be_confirmed_where_offboard_cannot_close() {
    let mut w = walk_to(Step::Confirm);
    w.progress.platform = testing::FILES.id.clone();
    work_loaded(&mut w, clear_work(&freelancer()), now());
    w.apply(Action::TypeName("maya".into()), now());
    assert_eq!(
        w.close_blocked_reason().as_deref(),
        Some("Close the account on the test marketplace's website, then tick that you did.")
    );
    w.apply(Action::SetClosedOnWebsite(true), now());
    assert_eq!(w.close_blocked_reason(), None);
}

// ----- the one close gate (issue 10, defect 1) -----

/// Whatever a close attempt emitted, as the clearance it carries.
fn close_effects(effects: &[Effect]) -> Vec<&CloseClearance> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::CloseAccount { clearance, .. } => Some(clearance),
            _ => None,
        })
        .collect()
}

#[test]
fn unticking_the_checklist_from_the_step_list_closes_the_gate() {
    let mut w = ready_to_close();
    w.apply(Action::GoTo(Step::Checklist), now());
    w.apply(
        Action::ToggleChecklist(ChecklistItem::WithdrawEarnings),
        now(),
    );
    w.apply(Action::GoTo(Step::Confirm), now());
    work_loaded(&mut w, clear_work(&freelancer()), now());
    let reason = w.close_blocked_reason().unwrap_or_default();
    assert!(
        reason.contains("1 checklist item is still unticked"),
        "{reason}"
    );
    assert!(close_effects(&w.apply(Action::CloseAccount, now())).is_empty());
    assert!(close_effects(&w.apply(Action::Next, now())).is_empty());
    assert!(!w.closing);
}

#[test]
fn unskipping_the_export_from_the_step_list_closes_the_gate() {
    let mut w = walk_to(Step::Export);
    w.apply(Action::SkipExport(true), now());
    w.apply(Action::Next, now());
    for item in ChecklistItem::ALL {
        w.apply(Action::ToggleChecklist(item), now());
    }
    w.handle(
        Event::ManualChecksLoaded {
            account: "freelancer".into(),
            checks: Vec::new(),
        },
        now(),
    );
    w.apply(Action::Next, now());
    assert_eq!(w.step(), Step::Confirm);
    work_loaded(&mut w, clear_work(&freelancer()), now());
    w.apply(Action::TypeName("maya".into()), now());
    assert_eq!(w.close_blocked_reason(), None);

    w.apply(Action::GoTo(Step::Export), now());
    w.apply(Action::SkipExport(false), now());
    w.apply(Action::GoTo(Step::Confirm), now());
    work_loaded(&mut w, clear_work(&freelancer()), now());
    let reason = w.close_blocked_reason().unwrap_or_default();
    assert!(reason.starts_with("Export your data"), "{reason}");
    assert!(close_effects(&w.apply(Action::CloseAccount, now())).is_empty());
}

#[test]
fn a_saved_state_that_opens_on_confirm_must_pass_every_step() {
    // A file that says "confirm" with nothing done on the way.
    let saved = SavedState {
        schema_version: SCHEMA_VERSION,
        progress: Progress {
            step: Step::Confirm,
            furthest: Step::Confirm,
            account: Some(freelancer()),
            typed_name: "maya".into(),
            ..Progress::default()
        },
        account_changes: Vec::new(),
        prefs: UiPrefs::default(),
    };
    let (mut w, effects) = Wizard::resume(saved, now(), testing::profiles());
    // Confirm loads the review and the source's manual checks.
    assert!(effects.contains(&fetch()));
    assert!(effects.contains(&Effect::LoadClients {
        account: "freelancer".into()
    }));
    w.handle(Event::AccountsLoaded(Ok(accounts())), now());
    work_loaded(&mut w, clear_work(&freelancer()), now());
    let blocks = w.close_blocks();
    for expected in [
        CloseBlock::NoReason,
        CloseBlock::NoExport,
        CloseBlock::ChecklistOpen(testing::DEMO.checklist.len()),
        CloseBlock::ManualChecksNotLoaded,
    ] {
        assert!(
            blocks.contains(&expected),
            "{expected:?} missing from {blocks:?}"
        );
    }
    assert!(close_effects(&w.apply(Action::CloseAccount, now())).is_empty());
}

#[test]
fn manual_checks_not_yet_loaded_or_unticked_keep_the_gate_shut() {
    let mut w = ready_to_close();
    w.handle(
        Event::ManualChecksLoaded {
            account: "freelancer".into(),
            checks: vec![ManualCheck {
                id: "contracts".into(),
                label: "No open contracts".into(),
                where_to_check: "My jobs".into(),
            }],
        },
        now(),
    );
    assert_eq!(w.close_blocks(), vec![CloseBlock::ChecklistOpen(1)]);
    assert!(close_effects(&w.apply(Action::CloseAccount, now())).is_empty());
    w.apply(Action::ToggleManualCheck("contracts".into()), now());
    assert_eq!(w.close_blocks(), Vec::new());
}

#[test]
fn a_stale_review_keeps_the_gate_shut_until_rechecked() {
    let mut w = ready_to_close();
    let later = now() + MAX_REVIEW_AGE + Duration::minutes(1);
    // Without a frame tick (no re-check started), the old review is too old.
    w.apply(Action::DismissNotice, later);
    assert!(matches!(
        w.close_blocks().as_slice(),
        [CloseBlock::ReviewStale { minutes: 11 }]
    ));
    assert!(close_effects(&w.apply(Action::CloseAccount, later)).is_empty());
    work_loaded(&mut w, clear_work(&freelancer()), later);
    let effects = w.apply(Action::CloseAccount, later);
    assert_eq!(close_effects(&effects).len(), 1);
    assert_eq!(close_effects(&effects)[0].account(), "freelancer");
}

#[test]
fn the_gate_names_each_step_still_open_in_order() {
    let w = Wizard::resume(SavedState::default(), now(), testing::profiles()).0;
    let blocks = w.close_blocks();
    let steps: Vec<Step> = blocks.iter().map(CloseBlock::step).collect();
    let mut sorted = steps.clone();
    sorted.sort();
    assert_eq!(steps, sorted, "{blocks:?}");
    assert!(blocks.contains(&CloseBlock::NoAccount));
}

// ----- what the receipt claims (issue 10, defect 2) -----

#[test]
fn a_closing_not_yet_verified_can_be_checked_again_and_the_receipt_follows() {
    let mut w = ready_to_close();
    w.progress.platform = testing::API.id.clone();
    let could_not = ClosureCheck::CouldNotCheck {
        at: now(),
        problem: "offline".into(),
    };
    let outcome = ClosureOutcome {
        evidence: Some(could_not.sentence("Upwork")),
        check: Some(could_not),
        ..outcome()
    };
    w.closing = true;
    w.handle(Event::Closed(Ok((outcome, None))), now());
    let receipt = w
        .progress
        .receipt
        .clone()
        .unwrap_or_else(|| panic!("no receipt"));
    assert!(
        receipt
            .evidence
            .unwrap_or_default()
            .contains("not verified")
    );

    let effects = w.apply(Action::CheckClosureAgain, now());
    assert!(matches!(
        without_save(&effects).as_slice(),
        [Effect::CheckClosure { account, .. }] if account == "freelancer"
    ));
    assert!(w.checking_closure);
    // One check at a time.
    assert_eq!(
        without_save(&w.apply(Action::CheckClosureAgain, now())),
        Vec::new()
    );

    let later = now() + Duration::days(2);
    let effects = w.handle(
        Event::ClosureChecked(ClosureCheck::VerifiedClosed {
            at: later,
            how: "the API reports the account closed".into(),
        }),
        later,
    );
    assert!(effects.iter().any(|e| matches!(e, Effect::Save(_))));
    let receipt = w
        .progress
        .receipt
        .clone()
        .unwrap_or_else(|| panic!("no receipt"));
    assert!(
        receipt
            .check
            .as_ref()
            .is_some_and(ClosureCheck::is_verified)
    );
    assert!(receipt.evidence.unwrap_or_default().contains("verified on"));
    // Nothing more to check once it was seen closed.
    assert_eq!(
        without_save(&w.apply(Action::CheckClosureAgain, later)),
        Vec::new()
    );
}

#[test]
fn a_launch_on_the_reminder_day_checks_the_review_again() {
    let today = now().date_naive();
    let mut w = walk_to(Step::Confirm);
    w.apply(Action::SetReminder(Some(today)), now());
    let saved = w.saved_state();
    assert_eq!(saved.progress.reminder, Some(today));

    // The day before: nothing changes.
    let before = now() - Duration::days(1);
    let (r, _) = Wizard::resume(saved.clone(), before, testing::profiles());
    assert_eq!(r.step(), Step::Confirm);
    assert_eq!(r.progress.reminder, Some(today));
    assert!(r.notice.is_none());

    // On the day: back to the review, which loads again, with a notice.
    let (r, effects) = Wizard::resume(saved, now(), testing::profiles());
    assert_eq!(r.step(), Step::Review);
    assert_eq!(r.progress.reminder, None);
    assert!(
        r.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("the pending work is checked again")),
        "{:?}",
        r.notice
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadAccounts { .. })),
        "{effects:?}"
    );
}

/// A launch on a later day asks once more whether an account closed on the
/// website is really gone, where the last look could not tell; the same
/// day, or once seen closed, it does not ask again.
#[test]
fn a_later_launch_asks_whether_the_account_is_really_gone() {
    let mut w = ready_to_close();
    w.progress.platform = testing::API.id.clone();
    let could_not = ClosureCheck::CouldNotCheck {
        at: now(),
        problem: "offline".into(),
    };
    let outcome = ClosureOutcome {
        check: Some(could_not),
        ..outcome()
    };
    w.closing = true;
    w.handle(Event::Closed(Ok((outcome, None))), now());
    let saved = w.saved_state();
    let asks = |at| {
        let (r, effects) = Wizard::resume(saved.clone(), at, testing::profiles());
        let asked = effects
            .iter()
            .any(|e| matches!(e, Effect::CheckClosure { account, .. } if account == "freelancer"));
        (r, asked)
    };
    let (_, same_day) = asks(now() + Duration::hours(1));
    assert!(!same_day);
    let (r, next_day) = asks(now() + Duration::days(1));
    assert!(next_day);
    assert!(r.checking_closure);

    let mut seen = saved.clone();
    if let Some(receipt) = seen.progress.receipt.as_mut() {
        receipt.check = Some(ClosureCheck::VerifiedClosed {
            at: now(),
            how: "the API reports the account closed".into(),
        });
    }
    let (_, effects) = Wizard::resume(seen, now() + Duration::days(3), testing::profiles());
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::CheckClosure { .. }))
    );
}

/// Where one login holds both sides, the review names the other side's
/// accounts, whose rules count too; an agency (a separate account) does not.
#[test]
fn both_sides_of_one_login_are_named() {
    let mut w = fresh();
    w.handle(Event::AccountsLoaded(Ok(accounts())), now());
    w.apply(Action::ChooseAccount("freelancer".into()), now());
    let others: Vec<&str> = w.other_sides().iter().map(|a| a.id.as_str()).collect();
    assert_eq!(others, ["client"]);
    w.apply(Action::ChooseAccount("client".into()), now());
    let others: Vec<&str> = w.other_sides().iter().map(|a| a.id.as_str()).collect();
    assert_eq!(others, ["freelancer"]);
    w.apply(Action::ChooseAccount("agency".into()), now());
    assert!(w.other_sides().is_empty());
}

#[test]
fn the_agency_plan_is_prepared_for_the_close_form() {
    let mut plan = AgencyPlan::default();
    assert_eq!(
        plan.missing(),
        Some("say how pending work will be completed")
    );
    plan.pending_work = "  Dana finishes the Q4 milestones under her own account. ".into();
    assert_eq!(plan.missing(), None);
    plan.payout_agreement = true;
    assert_eq!(plan.missing(), Some("paste the payout agreement's text"));
    plan.agreement_text = "Northwind pays Dana directly from 1 January.".into();
    let answers = plan.answers("The business is closing or changing");
    assert_eq!(
        answers,
        "Why are you closing the agency?\nThe business is closing or changing\n\n\
         How will pending work be completed?\nDana finishes the Q4 milestones under her own \
         account.\n\n\
         Is there a payout agreement with a client?\nYes. The agreement:\nNorthwind pays Dana \
         directly from 1 January.\n"
    );
    let mut w = walk_to(Step::Checklist);
    w.apply(Action::EditAgencyPlan(plan.clone()), now());
    assert_eq!(w.saved_state().progress.agency_plan, plan);
}

/// A saved state naming a platform this build does not offer (from a newer
/// Offboard) starts over with a notice, but a receipt is never dropped.
#[test]
fn a_platform_this_build_does_not_know_starts_over_but_keeps_a_receipt() {
    let mut saved = walk_to(Step::Checklist).saved_state();
    saved.progress.platform = crate::model::account::PlatformId::from_text("newer-platform");
    let (w, _) = Wizard::resume(saved.clone(), now(), testing::profiles());
    assert_eq!(w.step(), Step::Welcome);
    assert_eq!(w.progress.platform, testing::DEMO.id);
    assert!(
        w.notice.as_ref().is_some_and(
            |n| n.text.contains("\"newer-platform\"") && n.text.contains("starts over")
        ),
        "{:?}",
        w.notice
    );

    let mut closed = ready_to_close();
    closed.closing = true;
    closed.handle(Event::Closed(Ok((outcome(), None))), now());
    let mut saved = closed.saved_state();
    assert!(saved.progress.receipt.is_some());
    saved.progress.platform = crate::model::account::PlatformId::from_text("newer-platform");
    let (w, _) = Wizard::resume(saved.clone(), now(), testing::profiles());
    assert_eq!(w.progress.receipt, saved.progress.receipt);
    assert_eq!(w.step(), Step::Done);
    assert!(
        w.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("receipt is kept"))
    );
}
