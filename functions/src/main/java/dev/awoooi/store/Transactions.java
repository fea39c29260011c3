package dev.awoooi.store;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.List;
import java.util.Optional;

/**
 * TransactWriteItems the way every writer here needs it: a conflict with another transaction on one of the items (a
 * storm's writers land side by side) is retried with backoff; a failed condition is an answer for the caller.
 */
final class Transactions {
    private static final int ATTEMPTS = 6;

    private Transactions() {
    }

    /** Empty once committed; the cancellation if an item's condition failed (see {@link #failed}). */
    static Optional<TransactionCanceledException> write(DynamoDbClient dynamo, List<TransactWriteItem> items) {
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(r -> r.transactItems(items));
                return Optional.empty();
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                for (int i = 0; i < reasons.size(); i++) {
                    if (failed(e, i)) {
                        return Optional.of(e);
                    }
                }
                if (attempt == ATTEMPTS || reasons.stream().noneMatch(r -> "TransactionConflict".equals(r.code()))) {
                    throw e;
                }
                Backoff.pause(attempt);
            }
        }
    }

    /** Whether the condition of the transaction's item {@code index} failed. */
    static boolean failed(TransactionCanceledException cancelled, int index) {
        List<CancellationReason> reasons = cancelled.cancellationReasons();
        return index < reasons.size() && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }
}
