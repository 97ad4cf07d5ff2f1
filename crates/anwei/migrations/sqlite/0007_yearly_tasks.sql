-- Task 5 (按照市委年度巡察工作安排) recurs every year: its deadline kind is `yearly`, ongoing
-- (reported once a year, never closed). Stored tasks read before this change are corrected;
-- assignments already issued keep how they were issued.
UPDATE policy_task SET deadline_kind = 'yearly', ongoing = TRUE
 WHERE deadline_text = '按照市委年度巡察工作安排';
