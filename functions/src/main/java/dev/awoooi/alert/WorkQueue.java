package dev.awoooi.alert;

/** Port: hands a work item to the next function's queue. */
public interface WorkQueue<T> {
    void send(T item);
}
