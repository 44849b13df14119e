// Every command the window may call: `name => Type(Args) -> Reply;`. This file is the one list:
// tandem-core turns it into the types of the contract, and the app's build script (which cannot
// depend on tandem-core without compiling it a second time) includes it to generate the
// permissions. Keep it to this one macro call.
commands! {
    /// The first frame is on screen (the cold-start benchmark waits for it).
    app_ready => AppReady(NoArgs) -> ();
    /// Every pair's library row, and any pair that could not be read.
    list_pairs => ListPairs(NoArgs) -> LibraryView;
    create_pair => CreatePair(NewPairArgs) -> PairView;
    /// The pair's view, from its cache at once.
    get_pair => GetPair(Id) -> PairView;
    /// Something on the pair's page took the keyboard: its CRDT loads in the background, so the
    /// first keystroke does not wait for it (a pair only looked at is never loaded whole).
    prepare_edit => PrepareEdit(Id) -> ();
    /// Every discrete change to a pair; durable when it returns.
    edit_pair => EditPair(EditArgs) -> Edited;
    /// One keystroke-sized edit of a session's text; durable with the next batch.
    splice_text => SpliceText(SpliceArgs) -> ();
    pair_history => PairHistory(Id) -> Vec<HistoryEntry>;
    /// Saves the schedule as an .ics file where the person chooses; replies with where (none:
    /// they cancelled).
    export_schedule => ExportSchedule(Id) -> Option<String>;
    get_private_notes => GetPrivateNotes(Id) -> String;
    set_private_notes => SetPrivateNotes(PrivateNotesArgs) -> ();
    sharing_status => SharingStatus(Id) -> SharingView;
    set_share_folder => SetShareFolder(ShareFolderArgs) -> SharingView;
    invite_partner => InvitePartner(Id) -> InviteView;
    join_pair => JoinPair(JoinArgs) -> PairView;
    sync_now => SyncNow(Id) -> SharingView;
    connect_peer => ConnectPeer(PeerArgs) -> SharingView;
    /// The progress summary exactly as each format exports it.
    summary_preview => SummaryPreview(PeriodArgs) -> Preview;
    /// Saves the summary as md, html or pdf where the person chooses; replies with where (none:
    /// they cancelled).
    export_summary => ExportSummary(ExportArgs) -> Option<String>;
    /// The system's folder picker; `None` when the person cancels.
    choose_folder => ChooseFolder(FolderPickerArgs) -> Option<String>;
    /// The tandem://join/… link the window was opened with, once.
    take_opened_invite => TakeOpenedInvite(NoArgs) -> Option<String>;
    /// Everything written in the library, best matches first (Ctrl+K).
    search => Search(SearchQuery) -> Vec<Hit>;
    /// Why the search index was found damaged and rebuilt since the window opened, once.
    take_search_notice => TakeSearchNotice(NoArgs) -> Option<String>;
    /// Whether a pair is shown, so the menu enables New session, Export and Sync now.
    menu_context => MenuContext(MenuContextArgs) -> ();
    /// Opens an exported file with the desktop's handler, or shows it in its folder (`reveal`).
    open_export => OpenExport(OpenExportArgs) -> ();
}
