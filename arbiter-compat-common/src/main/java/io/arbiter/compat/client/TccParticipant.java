package io.arbiter.compat.client;

/**
 * Two TCC actions, {@link #ACTION_A} and {@link #ACTION_B}. Each try registers one TCC branch on the XID bound to
 * the calling thread and records itself in {@link TccLedger}; the tag travels to phase two in the action context
 * (so it also checks that the TC returns the branch's application data). A tag that starts with
 * {@link #REPORT_PREFIX} makes the try add {@code note = "noted-" + tag} to its action context, which the client
 * sends to the TC in a BranchReport; phase two then sees it as {@link TccLedger.Call#note()}.
 */
public interface TccParticipant {
    String ACTION_A = "compat-tcc-a";
    String ACTION_B = "compat-tcc-b";
    String REPORT_PREFIX = "report-";

    /** The note a try adds for a tag starting with {@link #REPORT_PREFIX}, else null. */
    static String noteFor(String tag) {
        return tag != null && tag.startsWith(REPORT_PREFIX) ? "noted-" + tag : null;
    }

    void tryA(String tag);

    void tryB(String tag);
}
