ABOUT = {
    "legal_name": "Jordan Avery",
    "preferred_name": "Jo",
    "pronouns": "they/them",
    "date_of_birth": "1987-06-14",
    "email": "jo@example.org",
    "phone": "(213) 555-0111",
}
CONTACT = {"may_email": "on", "safe_times": "Mornings"}
EMERGENCY = {"name": "Priya Shah", "relationship": "friend", "phone": "(213) 555-0199"}
REASONS = {"reasons": "We argue about money.", "goals": "", "previous_therapy": "no", "previous_details": ""}
RELATIONSHIP = {"length": "9 years", "living": "together", "children": "", "who_suggested": "me", "decisions": ""}
HEALTH = {"current_care": "", "medication": "", "difficult_experiences": ""}
VALID = [ABOUT, CONTACT, EMERGENCY, REASONS, RELATIONSHIP, HEALTH]
