using System.Text.RegularExpressions;

namespace CollabCanvas.Server.Ai;

/// <summary>
/// The built-in parser reads English. For French, German and Spanish it knows the core vocabulary (verbs, component
/// names, colours, themes, sizes, counts, edits), translated word for word before parsing: word order hardly matters
/// to the parser ("un bouton rouge" reads "a button red"). Texts that are labels ("qui dit Continuer") keep their words.
/// </summary>
public static class Languages
{
    /// <summary>Phrases by language, longest first when applied. Only distinctive words count towards recognising a language.</summary>
    private static readonly Dictionary<string, (string Foreign, string English)[]> Tables = new()
    {
        ["French"] = Table("""
            formulaire de connexion=login form|formulaire d'inscription=signup form|formulaire de contact=contact form|
            barre de navigation=navbar|barre latérale=sidebar|pied de page=footer|tableau des prix=pricing table|tableau de prix=pricing table|
            grille tarifaire=pricing table|case à cocher=checkbox|cases à cocher=checkboxes|menu déroulant=dropdown|boîte de dialogue=dialog|
            fenêtre modale=modal|champ de texte=text field|barre de recherche=search bar|barre de progression=progress bar|
            fil d'ariane=breadcrumb|section héros=hero section|carte mentale=mind map|diagramme de flux=flowchart|organigramme=org chart|
            tableau de bord=dashboard|page d'accueil=landing page|crée-moi=create|créer=create|crée=create|créez=create|ajoute=add|ajouter=add|
            ajoutez=add|dessine=draw|dessiner=draw|fais=make|faites=make|rends-les=make these|mets-les en=make these|rends=make|
            supprime=delete|supprimer=delete|efface=delete|duplique=duplicate|dupliquer=duplicate|aligne à gauche=align left|
            aligne à droite=align right|aligne=align|plus grand=bigger|plus grands=bigger|plus petit=smaller|plus petits=smaller|
            bouton=button|boutons=buttons|carte=card|cartes=cards|liste=list|tableau=table|interrupteur=switch|onglets=tabs|
            onglet=tab|avatar=avatar|badge=badge|curseur=slider|diapositive=slide|flèche=arrow|cercle=circle|carré=square|rectangle=rectangle|
            titre=title|texte=text|qui dit=that says|qui affiche=that says|intitulé=titled|intitulée=titled|appelé=called|appelée=called|
            thème sombre=dark theme|thème clair=light theme|thème=theme|sombre=dark|clair=light|rouge=red|rouges=red|bleu=blue|bleue=blue|
            bleus=blue|vert=green|verte=green|jaune=yellow|violet=purple|violette=purple|noir=black|noire=black|blanc=white|blanche=white|
            rose=pink|gris=gray|grise=gray|grand=large|grande=large|petit=small|petite=small|arrondi=rounded|arrondis=rounded|gras=bold|
            deux=two|trois=three|quatre=four|cinq=five|six=six|sept=seven|huit=eight|colonnes=columns|lignes=rows|niveaux=tiers|
            éléments=items|liens=links|options=options|étapes=steps|avec=with|pour=for|et=and|un=a|une=an|le=the|la=the|les=the|
            des=some|du=of|de=of|en=in|ces=these|ceci=this|cela=this|moi=me|s'il te plaît=please|s'il vous plaît=please
            """),
        ["German"] = Table("""
            login-formular=login form|registrierungsformular=signup form|anmeldeformular=login form|kontaktformular=contact form|
            navigationsleiste=navbar|seitenleiste=sidebar|fußzeile=footer|preistabelle=pricing table|kontrollkästchen=checkbox|
            auswahlliste=dropdown|textfeld=text field|eingabefeld=text field|suchfeld=search field|fortschrittsbalken=progress bar|
            schieberegler=slider|flussdiagramm=flowchart|organigramm=org chart|mindmap=mind map|startseite=landing page|
            erstelle=create|erstellen=create|erzeuge=create|füge=add|hinzu=|zeichne=draw|mache=make|mach=make|lösche=delete|
            löschen=delete|entferne=delete|dupliziere=duplicate|richte links aus=align left|links ausrichten=align left|
            größer=bigger|kleiner=smaller|schaltfläche=button|schaltflächen=buttons|knopf=button|knöpfe=buttons|karte=card|karten=cards|
            liste=list|tabelle=table|schalter=switch|registerkarten=tabs|pfeil=arrow|kreis=circle|quadrat=square|rechteck=rectangle|
            überschrift=title|titel=title|text=text|die sagt=that says|der sagt=that says|mit der aufschrift=that says|mit dem text=that says|
            mit dem titel=titled|namens=named|dunklen thema=dark theme|dunkles thema=dark theme|dunkel=dark|dunkles=dark|dunklen=dark|
            hellen=light|helles=light|hell=light|thema=theme|rot=red|rote=red|roten=red|roter=red|blau=blue|blaue=blue|blauen=blue|
            blauer=blue|grün=green|grüne=green|grünen=green|gelb=yellow|gelbe=yellow|schwarz=black|weiß=white|weiße=white|lila=purple|
            grau=gray|große=large|großen=large|großer=large|groß=large|kleine=small|kleinen=small|klein=small|abgerundet=rounded|
            fett=bold|zwei=two|drei=three|vier=four|fünf=five|sechs=six|spalten=columns|zeilen=rows|stufen=tiers|einträgen=items|
            elementen=items|schritten=steps|mit=with|für=for|und=and|ein=a|eine=a|einen=a|einem=a|einer=a|der=the|die=the|das=the|
            den=the|dem=the|diese=these|dieses=this|sie=them|mir=me|bitte=please
            """),
        ["Spanish"] = Table("""
            formulario de inicio de sesión=login form|formulario de login=login form|formulario de registro=signup form|
            formulario de contacto=contact form|barra de navegación=navbar|barra lateral=sidebar|pie de página=footer|
            tabla de precios=pricing table|casilla de verificación=checkbox|menú desplegable=dropdown|ventana modal=modal|
            campo de texto=text field|barra de búsqueda=search bar|barra de progreso=progress bar|diagrama de flujo=flowchart|
            organigrama=org chart|mapa mental=mind map|panel de control=dashboard|página de inicio=landing page|
            crea=create|crear=create|créame=create|añade=add|añadir=add|agrega=add|agregar=add|dibuja=draw|haz=make|hazlos=make these|
            hazlo=make this|ponlos=make these|borra=delete|elimina=delete|eliminar=delete|duplica=duplicate|alinea a la izquierda=align left|
            alinea=align|más grande=bigger|más grandes=bigger|más pequeño=smaller|más pequeños=smaller|botón=button|boton=button|
            botones=buttons|tarjeta=card|tarjetas=cards|lista=list|tabla=table|interruptor=switch|pestañas=tabs|diálogo=dialog|
            flecha=arrow|círculo=circle|cuadrado=square|rectángulo=rectangle|título=title|texto=text|que diga=that says|que dice=that says|
            titulado=titled|titulada=titled|llamado=called|llamada=called|tema oscuro=dark theme|tema claro=light theme|tema=theme|
            oscuro=dark|oscura=dark|claro=light|rojo=red|roja=red|rojos=red|azul=blue|azules=blue|verde=green|verdes=green|amarillo=yellow|
            morado=purple|negro=black|blanco=white|rosa=pink|gris=gray|grande=large|grandes=large|pequeño=small|pequeña=small|
            redondeado=rounded|redondeados=rounded|negrita=bold|dos=two|tres=three|cuatro=four|cinco=five|seis=six|columnas=columns|
            filas=rows|niveles=tiers|planes=plans|elementos=items|enlaces=links|opciones=options|pasos=steps|con=with|para=for|y=and|
            un=a|una=a|el=the|los=the|las=the|estos=these|estas=these|esto=this|esta=this|este=this|en=in|de=of|por favor=please
            """),
    };

    /// <summary>Words shared with English or with another language: they translate, but they do not tell the language.</summary>
    private static readonly HashSet<string> Ambiguous =
    [
        "en", "de", "la", "le", "les", "un", "une", "des", "du", "et", "pour", "el", "y", "con", "die", "das", "der", "den", "dem", "mit",
        "und", "ein", "eine", "sie", "avatar", "badge", "text", "texte", "rectangle", "options", "six", "rose", "gris", "violet", "orange",
        "grande", "liste", "lista", "tabla", "tableau", "karte", "titel", "hell", "rot", "mir", "moi", "ces", "este", "esta", "esto",
    ];

    /// <summary>The sentence in English words, and the language it was in (null for English).</summary>
    public static (string English, string? Language) ToEnglish(string prompt)
    {
        var lower = prompt.ToLowerInvariant();
        string? language = null;
        var best = 0;
        foreach (var (name, table) in Tables)
        {
            var hits = table.Count(p => !Ambiguous.Contains(p.Foreign) && Regex.IsMatch(lower, $@"(?<![\p{{L}}\-']){Regex.Escape(p.Foreign)}(?![\p{{L}}\-'])"));
            if (hits > best) (language, best) = (name, hits);
        }
        if (language is null) return (prompt, null);
        var text = prompt;
        foreach (var (foreign, english) in Tables[language])
            text = Regex.Replace(text, $@"(?<![\p{{L}}\-']){Regex.Escape(foreign)}(?![\p{{L}}\-'])", english, RegexOptions.IgnoreCase);
        return (text, language);
    }

    private static (string, string)[] Table(string pairs) => pairs
        .Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Select(p => p.Split('='))
        .Select(p => (p[0].Trim(), p[1].Trim()))
        .OrderByDescending(p => p.Item1.Length)
        .ToArray();
}
