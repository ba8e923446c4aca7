package dev.conduit.core.audit;

import java.util.List;

/**
 * One page of audit records, newest first.
 *
 * @param items the records of this page
 * @param page  the page asked for, from 0
 * @param size  the page size asked for
 * @param total how many records match the filters on all pages
 */
public record AuditPage(List<AuditEvent> items, int page, int size, long total) {

    public AuditPage {
        items = List.copyOf(items);
    }
}
