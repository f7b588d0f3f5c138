namespace CollabCanvas.Server.Ai.Components;

public sealed class SignUpForm : IComponent
{
    public string Name => "signup_form";
    public string[] Synonyms => ["sign up form", "signup", "sign up", "registration form", "register form", "registration", "create account form", "sign-up form"];
    public string Description => "A sign-up form: title, name, email and password fields, a button, a link to sign in.";

    public void Build(Drawing d, ComponentSpec spec) =>
        FormLayout.Build(d, "Sign-up form", spec.Title ?? "Create your account",
            [("Name", "Ada Lovelace"), ("Email", "you@example.com"), ("Password", "At least 8 characters")],
            spec.Label(0, "Create account"), "Already have an account? Sign in", spec.Scale());
}
