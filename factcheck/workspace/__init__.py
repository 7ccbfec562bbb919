"""The reviewer's workspace inside the admin: the claim review page and the queue overview."""
