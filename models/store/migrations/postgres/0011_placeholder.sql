-- Reserved for a step another branch adds; replaced by it when the branches meet.
SELECT 1;
