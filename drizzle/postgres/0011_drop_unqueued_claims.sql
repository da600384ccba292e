-- Events are now claimed as queued in one statement. A row still 'received' was never queued
-- (its intake died or Redis refused it): its client was never told it was accepted.
DELETE FROM events WHERE status = 'received';
