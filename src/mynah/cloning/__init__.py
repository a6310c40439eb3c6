"""Voice cloning behind recorded consent: the audit log, consent challenges, speaker verification
and the store of cloned voices (see the README section "Voice cloning")."""
