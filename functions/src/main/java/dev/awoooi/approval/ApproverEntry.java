package dev.awoooi.approval;

import java.util.List;
import java.util.Set;

/**
 * A person in the approver directory: a stable id (what signatures and cards name), the roles they hold, and the
 * identities that prove them on each channel. Roles come from here and nowhere else: never from a link or a click.
 */
public record ApproverEntry(String id, Set<Role> roles, List<Identity> identities) {
    public static final String ID_PATTERN = "[a-z][a-z0-9._-]{0,63}";

    public ApproverEntry {
        if (id == null || !id.matches(ID_PATTERN)) {
            throw new IllegalArgumentException("an approver id is lower-case letters, digits, '.', '_' or '-', starting with a letter");
        }
        if (roles == null || roles.isEmpty()) {
            throw new IllegalArgumentException("approver " + id + " needs at least one role");
        }
        roles = Set.copyOf(roles);
        identities = List.copyOf(identities);
        if (identities.stream().anyMatch(i -> i.channel() == Channel.LINK)) {
            throw new IllegalArgumentException("a link is not an identity the directory keeps");
        }
        if (identities.stream().map(Identity::channel).distinct().count() != identities.size()) {
            throw new IllegalArgumentException("approver " + id + " has two identities on one channel");
        }
    }

    /** Their identity on a channel, if they have one there. */
    public java.util.Optional<Identity> on(Channel channel) {
        return identities.stream().filter(i -> i.channel() == channel).findFirst();
    }

    /** What an approval request keeps of them: the id and roles, no identity. */
    public Approver asApprover() {
        return new Approver(id, roles);
    }
}
