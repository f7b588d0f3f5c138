namespace CollabCanvas.Server.Ai.Components;

public sealed class ContactForm : IComponent
{
    public string Name => "contact_form";
    public string[] Synonyms => ["contact form", "contact us form", "feedback form", "message form", "contact section", "support form"];
    public string Description => "A contact form: title, name, email and message fields, a send button (Labels[0]), a note.";

    public void Build(Drawing d, ComponentSpec spec) =>
        FormLayout.Build(d, "Contact form", spec.Title ?? "Get in touch",
            [("Name", "Your name"), ("Email", "you@example.com"), ("Message", "How can we help?")],
            spec.Label(0, "Send message"), "We usually reply within a day.", spec.Scale());
}
