-- Reserved for the outbox's claimed state (issue 12); filled in by that work.
SELECT 1;
